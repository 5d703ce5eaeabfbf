import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Controller, Get, Module } from '@nestjs/common';
import { hello } from '@jejak/kernel';
@Controller() class C { @Get('/health') h() { return { ok: hello() }; } }
@Module({ controllers: [C] }) class M {}
async function main() { const app = await NestFactory.create(M); await app.listen(3999); console.log('up'); }
void main();
