import { eventMetadata, type EventStore, execute } from '@jejak/event-store';
import {
  type Background,
  BACKGROUNDS,
  BOTH_UNITS,
  CredentialStore,
  hashPassword,
  passwordProblem,
  type UserCommand,
  userDecider,
  userIdFor,
  USERNAME,
  userStream,
} from '@jejak/identity';
import { type RequestContext, type Role, ROLES, type Unit, UNITS } from '@jejak/kernel';
import { Body, Inject, Post, Res } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import type { Response } from 'express';

import { Allow } from '../../access/rules';
import { Clock } from '../../http/clock';
import { Ctx } from '../../http/context';
import { ApiProblems } from '../../http/openapi';
import { revisionResponse, type Written } from '../../http/revision';
import { EVENT_STORE } from '../../tokens';
import { UserDirectory } from '../user-directory';
import { SCOPE } from '../users.dto';
import { PasswordRefused } from '../users.handlers';
import { UserRoutes, UsersRoute } from '../users.routes';

export class CreateUserDto {
  @ApiProperty({ example: 'siti.aminah', description: 'lower case, 3-64 of a-z 0-9 . _ -; cannot change later' })
  @Matches(/^[a-z0-9][a-z0-9._-]{2,63}$/, { message: 'must be 3-64 lower-case letters, digits, dot, underscore or dash' })
  username!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;

  @ApiProperty({ example: ['village:3201012001'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @Matches(SCOPE, { each: true, message: 'each scope must be national, province:NN, regency:NNNN, district:NNNNNN or village:NNNNNNNNNN' })
  scopes!: string[];

  @ApiProperty({ description: 'at least 10 characters', writeOnly: true, example: 'kebun-kopi-2026' })
  @IsString()
  @Length(1, 256)
  password!: string;

  @ApiPropertyOptional({
    enum: UNITS,
    isArray: true,
    description: "an officer's units: information and advocacy, economic enterprise, or both (the default for an officer)",
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(UNITS, { each: true })
  units?: Unit[];

  @ApiPropertyOptional({ enum: BACKGROUNDS, description: "an officer's background" })
  @IsOptional()
  @IsIn(BACKGROUNDS)
  background?: Background;
}

export class CreateUser extends Command<Written> {
  constructor(
    readonly username: string,
    readonly role: Role,
    readonly scopes: readonly string[],
    readonly password: string,
    readonly context: RequestContext,
    readonly units?: readonly Unit[],
    readonly background?: Background,
  ) {
    super();
  }
}

@CommandHandler(CreateUser)
export class CreateUserHandler implements ICommandHandler<CreateUser> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly users: UserDirectory,
    private readonly credentials: CredentialStore,
    private readonly clock: Clock,
  ) {}

  async execute(command: CreateUser): Promise<Written> {
    const problem = passwordProblem(command.password, command.username);
    if (problem) throw new PasswordRefused(problem);
    if (!USERNAME.test(command.username)) throw new PasswordRefused('cannot be checked against an invalid username');
    const userId = userIdFor(command.username);
    // An officer's profile is always written (both units unless others are named); for any other role a
    // unit or background sent is passed on, for the decider to refuse.
    const profiled = command.role === 'officer' || command.units !== undefined || command.background !== undefined;
    const officer = profiled
      ? { units: command.units ?? BOTH_UNITS, ...(command.background !== undefined ? { background: command.background } : {}) }
      : undefined;
    const credentialId = await this.credentials.put(userId, await hashPassword(command.password));
    const decided: UserCommand = {
      type: 'CreateUser',
      userId,
      username: command.username,
      role: command.role,
      scopes: command.scopes,
      credentialId,
      ...(officer ? { officer } : {}),
      ...this.clock.envelope(command.context),
    };
    const result = await execute(this.store, userStream(userId), userDecider, decided, { metadata: eventMetadata(command.context) }).catch(
      async (error: unknown) => {
        await this.credentials.discard(credentialId);
        throw error;
      },
    );
    this.users.invalidate(userId);
    return { id: userId, revision: result.revision, position: result.position };
  }
}

@UsersRoute()
export class CreateUserRoute extends UserRoutes {
  @Post()
  @Allow(['admin'])
  @ApiCreatedResponse({ description: '`{ id, revision }`, Location and ETag' })
  @ApiProblems(400, 409)
  async create(@Body() body: CreateUserDto, @Ctx() context: RequestContext, @Res({ passthrough: true }) response: Response) {
    const written = await this.commands.execute(
      new CreateUser(body.username, body.role, body.scopes, body.password, context, body.units, body.background),
    );
    response.setHeader('Location', `/users/${written.id}`);
    return revisionResponse(response, written.id, written.revision, written.position);
  }
}
