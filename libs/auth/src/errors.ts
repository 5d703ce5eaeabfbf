import { JejakError } from '@jejak/kernel';

export class Unauthenticated extends JejakError {
  readonly kind = 'unauthenticated' as const;
  constructor(
    readonly code: 'TOKEN_MISSING' | 'TOKEN_INVALID' | 'TOKEN_EXPIRED',
    message: string,
  ) {
    super(message);
  }
}
