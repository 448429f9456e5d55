import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { HealthResponse } from '@xinyuan/shared';
import { Public } from '../../common/auth/decorators';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { Clock } from '../../common/clock';
import { Database } from '../../database/database';
import { HealthState } from './health.state';

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
class LiveDto {
  @ApiProperty({ enum: ['ok'] }) status: 'ok';
}
class GaleraDto {
  @ApiProperty({ description: 'wsrep_ready' }) ready: string;
  @ApiProperty({ description: 'wsrep_local_state: 1 joining, 2 donor/desynced, 3 joined, 4 synced' }) localState: number;
  @ApiProperty({ description: 'wsrep_cluster_status' }) clusterStatus: string;
}
class ReadyDto {
  @ApiProperty({ enum: ['ready', 'not_ready'] }) status: 'ready' | 'not_ready';
  @ApiProperty({ enum: ['DB_UNAVAILABLE', 'NODE_NOT_PRIMARY', 'NODE_NOT_SYNCED', 'NODE_NOT_READY', 'CLOCK_SKEW', 'SHUTTING_DOWN'], required: false }) reason?: string;
  @ApiProperty({ required: false, description: 'What was seen, e.g. wsrep_local_state=2 (Donor/Desynced)' }) detail?: string;
  @ApiProperty({ description: '0: DATABASE_URL; i: the i-th of DATABASE_FAILOVER_URLS' }) node: number;
  @ApiProperty({ type: GaleraDto, nullable: true, description: 'The Galera state of the node; null when it is not in a cluster' }) galera: GaleraDto | null;
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly db: Database,
    private readonly state: HealthState,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

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

  /** Liveness: the process serves HTTP. Never touches the database (a database outage must not get the app restarted). */
  @Public()
  @Get('live')
  @ApiOkResponse({ type: LiveDto, description: 'The process serves requests; the database is not asked' })
  live(): LiveDto {
    return { status: 'ok' };
  }

  /**
   * Readiness: the app can write through its database node now. 503 with Retry-After and a
   * reason when the database does not answer in READY_TIMEOUT_MS, when a Galera node is not
   * Synced in the Primary component, or while the process shuts down. What a load balancer checks.
   */
  @Public()
  @Get('ready')
  @HttpCode(200)
  @ApiOkResponse({ type: ReadyDto, description: 'The node takes writes' })
  @ApiResponse({ status: 503, type: ReadyDto, description: 'Not ready (Retry-After: seconds): DB_UNAVAILABLE, NODE_NOT_PRIMARY, NODE_NOT_SYNCED, NODE_NOT_READY, CLOCK_SKEW or SHUTTING_DOWN' })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<ReadyDto> {
    const notReady = (reason: string, detail: string | undefined, galera: GaleraDto | null, node = this.db.node): ReadyDto => {
      void reply.status(503).header('retry-after', String(this.config.resilience.retryAfterSeconds));
      return { status: 'not_ready', reason, ...(detail ? { detail } : {}), node, galera };
    };
    if (this.state.shuttingDown) return notReady('SHUTTING_DOWN', undefined, null);
    const s = await this.db.readiness(this.config.resilience.readyTimeoutMs);
    if (!s.ready) return notReady(s.reason, s.detail, s.galera, s.node);
    // Deadlines are stamped with this instance's clock: one that strays from its database's (and
    // so from the other instances', checked the same way) takes the instance out of the balancer.
    const maxSkew = this.config.resilience.clockSkewMaxMs;
    if (maxSkew > 0) {
      let offset: number | null;
      try {
        offset = await this.db.clockOffsetMs(() => this.clock.now().getTime(), this.config.resilience.readyTimeoutMs);
      } catch {
        return notReady('DB_UNAVAILABLE', 'clock read failed', s.galera, s.node);
      }
      if (offset !== null && Math.abs(offset) > maxSkew) {
        const side = offset > 0 ? 'behind' : 'ahead of';
        return notReady('CLOCK_SKEW', `app clock ${(Math.abs(offset) / 1000).toFixed(1)} s ${side} the database's (limit ${maxSkew} ms)`, s.galera, s.node);
      }
    }
    return { status: 'ready', node: s.node, galera: s.galera };
  }
}
