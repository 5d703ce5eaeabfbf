import { Module } from '@nestjs/common';

import { AuthController, UsersController } from './identity.controller';
import { LoginHandler } from './login';
import { USER_HANDLERS } from './users.handlers';

/** Users, their roles and scopes, and logging in. */
@Module({ controllers: [AuthController, UsersController], providers: [LoginHandler, ...USER_HANDLERS] })
export class IdentityModule {}
