import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { HealthResponse } from '@xinyuan/shared';
import { Public } from '../../common/auth/decorators';
import { Database } from '../../database/database';

class HealthDatabaseDto {
  @ApiProperty({ enum: ['sqlite', 'mysql', 'mariadb'] }) driver: 'sqlite' | 'mysql' | 'mariadb';
  @ApiProperty() ok: boolean;
  @ApiProperty({ type: Number, nullable: true }) latencyMs: number | null;
}
class HealthDto implements HealthResponse {
  @ApiProperty({ enum: ['ok', 'degraded'] }) status: 'ok' | 'degraded';
  @ApiProperty({ type: HealthDatabaseDto }) database: HealthDatabaseDto;
  @ApiProperty() version: string;
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly db: Database) {}

  @Public()
  @Get()
  @ApiOkResponse({ type: HealthDto })
  async health(): Promise<HealthResponse> {
    let latencyMs: number | null = null;
    try {
      latencyMs = Math.round((await this.db.ping()) * 100) / 100;
    } catch {
      latencyMs = null;
    }
    const ok = latencyMs !== null;
    return { status: ok ? 'ok' : 'degraded', database: { driver: this.db.driver, ok, latencyMs }, version: '0.1.0' };
  }
}
