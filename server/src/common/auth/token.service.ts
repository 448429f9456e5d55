import { Inject, Injectable } from '@nestjs/common';
import jwt from 'jsonwebtoken';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { Clock } from '../clock';
import { CommonException } from '../errors/app.exception';

/** Issues and checks the API's bearer tokens (HS256 JWT, subject = user id). */
@Injectable()
export class TokenService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  issue(userId: number): { token: string; expiresAt: Date } {
    const iat = Math.floor(this.clock.now().getTime() / 1000);
    const exp = iat + this.config.jwt.ttlSeconds;
    const token = jwt.sign({ sub: String(userId), iat, exp }, this.config.jwt.secret, { algorithm: 'HS256' });
    return { token, expiresAt: new Date(exp * 1000) };
  }

  verify(token: string): number {
    try {
      const payload = jwt.verify(token, this.config.jwt.secret, {
        algorithms: ['HS256'],
        clockTimestamp: Math.floor(this.clock.now().getTime() / 1000),
      }) as jwt.JwtPayload;
      const id = Number(payload.sub);
      if (!Number.isSafeInteger(id) || id <= 0) throw new CommonException('UNAUTHENTICATED');
      return id;
    } catch (e) {
      if (e instanceof jwt.TokenExpiredError) throw new CommonException('TOKEN_EXPIRED');
      throw new CommonException('UNAUTHENTICATED');
    }
  }
}
