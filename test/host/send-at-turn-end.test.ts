// Answers queued with sendAtTurnEnd go out after every request of the same turn was handled, each to
// its own request, and one that cannot be sent does not hold back the others.
import Fastify from 'fastify';
import t from 'tap';
import { sendAtTurnEnd } from '../../host/http/send-at-turn-end.js';

async function appWithLog() {
  const events: string[] = [];
  const app = Fastify();
  app.addHook('onSend', async (request, _reply, payload) => {
    events.push(`sent ${(request.query as { n: string }).n}`);
    return payload;
  });
  app.get('/answer', (request, reply) => {
    const { n } = request.query as { n: string };
    events.push(`handled ${n}`);
    sendAtTurnEnd(reply, n === 'bad' ? { n: 1n } : { n });
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  t.teardown(() => app.close());
  return { app, events, url: `http://127.0.0.1:${(app.server.address() as { port: number }).port}` };
}

t.test('answers of one turn are sent after all of its requests were handled, each to its own', async (t) => {
  const { app, events } = await appWithLog();
  const answers = await Promise.all(['1', '2', '3'].map((n) => app.inject({ method: 'GET', url: `/answer?n=${n}` })));
  t.same(answers.map((answer) => answer.json()), [{ n: '1' }, { n: '2' }, { n: '3' }]);
  t.same(events, ['handled 1', 'handled 2', 'handled 3', 'sent 1', 'sent 2', 'sent 3']);
});

t.test('an answer that cannot be serialized gets a 500, the others of its turn their answers', async (t) => {
  const { url } = await appWithLog();
  const [good, bad, other] = await Promise.all(['ok', 'bad', 'fine'].map((n) => fetch(`${url}/answer?n=${n}`)));
  t.equal(good.status, 200);
  t.same(await good.json(), { n: 'ok' });
  t.equal(bad.status, 500);
  t.equal(other.status, 200);
  t.same(await other.json(), { n: 'fine' });
});
