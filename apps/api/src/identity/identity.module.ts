import { Module } from '@nestjs/common';

import { ChangeOfficerProfileRoute } from './change-officer-profile/change-officer-profile';
import { ChangeRoleRoute } from './change-role/change-role';
import { CreateUserHandler, CreateUserRoute } from './create-user/create-user';
import { DisableUserRoute } from './disable-user/disable-user';
import { EnableUserRoute } from './enable-user/enable-user';
import { GetUserHandler, GetUserRoute } from './get-user/get-user';
import { ListUsersHandler, ListUsersRoute } from './list-users/list-users';
import { LoginHandler, LoginRoute } from './login/login';
import { MeRoute } from './me/me';
import { ResetPasswordRoute } from './reset-password/reset-password';
import { ChangeUserHandler } from './users.handlers';

/**
 * Users, their roles and scopes, and logging in. One folder per use case (route, DTO, own handler); role,
 * password and access changes share ChangeUser (users.handlers.ts).
 */
@Module({
  controllers: [
    LoginRoute,
    MeRoute,
    CreateUserRoute,
    ListUsersRoute,
    GetUserRoute,
    ChangeRoleRoute,
    ChangeOfficerProfileRoute,
    ResetPasswordRoute,
    DisableUserRoute,
    EnableUserRoute,
  ],
  providers: [LoginHandler, CreateUserHandler, ChangeUserHandler, GetUserHandler, ListUsersHandler],
})
export class IdentityModule {}
