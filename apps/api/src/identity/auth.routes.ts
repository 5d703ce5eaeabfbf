import { applyDecorators, Controller, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';

/** The class decorators every route of this context carries. */
export const AuthRoute = (): ClassDecorator => applyDecorators(ApiTags('identity'), Controller('auth'));

@Injectable()
export abstract class AuthRoutes {
  constructor(protected readonly commands: CommandBus) {}
}
