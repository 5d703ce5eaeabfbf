import { formatScope, type RequestContext } from '@jejak/kernel';
import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';

import { Allow } from '../access/rules';
import { CommandRoute, IfMatch } from '../http/command-route';
import { Ctx } from '../http/context';
import { ApiAuthenticated, ApiProblems } from '../http/openapi';
import { contextOf, type JejakRequest } from '../http/request';
import { revisionResponse } from '../http/revision';
import { UuidPipe } from '../http/uuid.pipe';
import { Login, type LoginResult } from './login';
import { ChangeRoleDto, CreateUserDto, LoginDto, ReasonDto, ResetPasswordDto } from './users.dto';
import { ChangeUser, CreateUser, GetUser, ListUsers, type UserView } from './users.handlers';

@ApiTags('identity')
@Controller('auth')
export class AuthController {
  constructor(private readonly commands: CommandBus) {}

  @CommandRoute('login')
  @Allow('public')
  @ApiOkResponse({ description: 'A bearer token, its expiry, and the user (never the password hash)' })
  @ApiProblems(400, 401, 429)
  login(@Body() body: LoginDto, @Req() request: JejakRequest): Promise<LoginResult> {
    return this.commands.execute(new Login(body.username.toLowerCase(), body.password, request.ip ?? 'unknown', contextOf(request)));
  }

  @Get('me')
  @Allow('authenticated')
  @ApiAuthenticated()
  @ApiOkResponse({ description: 'The actor of the bearer token: id, role and scopes' })
  me(@Ctx() context: RequestContext): object {
    const actor = context.actor!;
    return { id: actor.id, role: actor.role, scopes: actor.scopes.map(formatScope) };
  }
}

const UUID = new UuidPipe();

@ApiTags('users')
@ApiAuthenticated()
@Controller('users')
export class UsersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @Allow(['admin'])
  @ApiCreatedResponse({ description: '`{ id, revision }`, Location and ETag' })
  @ApiProblems(400, 409)
  async create(@Body() body: CreateUserDto, @Ctx() context: RequestContext, @Res({ passthrough: true }) response: Response) {
    const written = await this.commands.execute(new CreateUser(body.username, body.role, body.scopes, body.password, context));
    response.setHeader('Location', `/users/${written.id}`);
    return revisionResponse(response, written.id, written.revision, written.position);
  }

  @Get()
  @Allow(['admin'])
  @ApiOkResponse({ description: 'All users, by username' })
  async list(): Promise<{ items: UserView[]; nextCursor: null }> {
    return { items: await this.queries.execute(new ListUsers()), nextCursor: null };
  }

  @Get(':id')
  @Allow(['admin'])
  @ApiOkResponse({ description: 'The user, with ETag' })
  @ApiProblems(400, 404)
  async get(@Param('id', UUID) id: string, @Res({ passthrough: true }) response: Response): Promise<UserView> {
    const { view, revision } = await this.queries.execute(new GetUser(id));
    response.setHeader('ETag', `"${revision}"`);
    return view;
  }

  @CommandRoute(':id/role')
  @Allow(['admin'])
  @ApiProblems(400, 404, 409, 412)
  async changeRole(
    @Param('id', UUID) id: string,
    @Body() body: ChangeRoleDto,
    @Ctx() context: RequestContext,
    @IfMatch() ifMatch: bigint | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.change(
      id,
      { type: 'ChangeUserRole', role: body.role, scopes: body.scopes, reason: body.reason },
      context,
      ifMatch,
      response,
    );
  }

  @CommandRoute(':id/password')
  @Allow(['admin'])
  @ApiProblems(400, 404, 409, 412)
  async resetPassword(
    @Param('id', UUID) id: string,
    @Body() body: ResetPasswordDto,
    @Ctx() context: RequestContext,
    @IfMatch() ifMatch: bigint | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.change(id, { type: 'ResetUserPassword', password: body.password }, context, ifMatch, response);
  }

  @CommandRoute(':id/disable')
  @Allow(['admin'])
  @ApiProblems(400, 404, 409, 412)
  async disable(
    @Param('id', UUID) id: string,
    @Body() body: ReasonDto,
    @Ctx() context: RequestContext,
    @IfMatch() ifMatch: bigint | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.change(id, { type: 'DisableUser', reason: body.reason }, context, ifMatch, response);
  }

  @CommandRoute(':id/enable')
  @Allow(['admin'])
  @ApiProblems(400, 404, 409, 412)
  async enable(
    @Param('id', UUID) id: string,
    @Body() body: ReasonDto,
    @Ctx() context: RequestContext,
    @IfMatch() ifMatch: bigint | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.change(id, { type: 'EnableUser', reason: body.reason }, context, ifMatch, response);
  }

  private async change(id: string, change: ChangeUser['change'], context: RequestContext, ifMatch: bigint | undefined, response: Response) {
    const written = await this.commands.execute(new ChangeUser(id, change, context, ifMatch));
    return revisionResponse(response, written.id, written.revision, written.position);
  }
}
