// The baselines: a bare fastify answering a tiny JSON document, and the same fastify serving a route
// shaped like dird's reverse lookup (path params, a querystring schema, two request hooks, an async
// handler, a same-sized answer) with nothing behind it: what the framework alone costs for that shape.
import Fastify from 'fastify';

const app = Fastify();
app.get('/hello', async () => ({ hello: 'world' }));

app.register(async (shaped) => {
  shaped.addHook('onRequest', (request, reply, done) => {
    if (request.headers.origin) reply.header('Access-Control-Allow-Origin', '*');
    done();
  });
  shaped.addHook('onRequest', (request, _reply, done) => {
    (request as any).token = request.headers['x-auth-token'];
    done();
  });
  shaped.get<{ Querystring: { exten: string } }>('/0.1/directories/reverse/:profile/:user_uuid', {
    schema: {
      params: { type: 'object', properties: { profile: { type: 'string' }, user_uuid: { type: 'string' } } },
      querystring: { type: 'object', properties: { exten: { type: 'string' } } },
    },
  }, async (request) => ({
    display: 'First4242 Last4242',
    exten: request.query.exten,
    fields: { id: '4242', firstname: 'First4242', lastname: 'Last4242', number: request.query.exten, reverse: 'First4242 Last4242' },
    source: 'contacts',
  }));
});

const address = await app.listen({ host: '127.0.0.1', port: Number(process.argv[2] ?? 0) });
process.stdout.write(`${address}\n`);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
