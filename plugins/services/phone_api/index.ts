// The phone API: a second HTTP listener (`phone_api.listen`/`port`, 9498 like wazo-phoned) on which the
// desk-phone views register their routes. Phones carry no token: every request is authorised by its
// source address against `phone_api.authorized_subnets`; X-Forwarded-For counts only from
// `phone_api.trusted_proxies`.
import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { ServiceLoadArgs, ServicePlugin } from '../../../src/contracts.js';
import { LegacyError } from '../../../src/errors.js';
import { errorHandler } from '../../../host/http/error-handler.js';
import { FrameworkLog } from '../../../host/http/framework-log.js';
import { AllowList } from './allow-list.js';

export class PhoneApi {
  readonly app: FastifyInstance;
  private readonly allowList: AllowList;

  constructor(private readonly config: Record<string, any>, private readonly log: Logger) {
    const phoneConfig = config.phone_api ?? {};
    this.allowList = new AllowList(phoneConfig.authorized_subnets);
    const proxies: string[] = (phoneConfig.trusted_proxies ?? []).map(String);
    this.app = Fastify({
      logController: new FrameworkLog(log),
      // proxy-addr walks X-Forwarded-For from the peer back through trusted proxies only.
      trustProxy: proxies.length > 0 ? proxies : false,
      ajv: { customOptions: { coerceTypes: true, allErrors: true } },
    }) as unknown as FastifyInstance;
    this.app.setErrorHandler(errorHandler(log));
    this.app.addHook('onRequest', async (request) => {
      if (!this.allowList.allows(request.ip)) {
        this.log.info({ ip: request.ip, url: request.url.split('?')[0] }, 'phone API: address not authorised');
        throw new LegacyError(403, `The address ${request.ip} is not authorized`);
      }
    });
  }

  /** Listens on `phone_api.listen`/`phone_api.port` unless given another address (tests use port 0). */
  async listen(address?: { host: string; port: number }): Promise<string> {
    const host = address?.host ?? this.config.phone_api?.listen ?? '0.0.0.0';
    const port = address?.port ?? Number(this.config.phone_api?.port ?? 9498);
    return this.app.listen({ host, port });
  }

  close(): Promise<void> {
    return this.app.close();
  }
}

export default class PhoneApiPlugin implements ServicePlugin {
  private api: PhoneApi | null = null;

  load({ config, log }: ServiceLoadArgs) {
    this.api = new PhoneApi(config, log);
    return this.api;
  }

  async unload() {
    await this.api?.close();
  }
}
