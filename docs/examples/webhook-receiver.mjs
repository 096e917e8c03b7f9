// A small receiver for HeyGen HyperFrames render webhooks, using framesmith's cloud library.
// Run:  HEYGEN_WEBHOOK_SECRET=whsec_… HEYGEN_API_KEY=sk_… PORT=8080 node webhook-receiver.mjs
// Put it behind HTTPS (a reverse proxy or a tunnel): HeyGen delivers only to https:// URLs.
//
// What makes it safe:
// - the raw body is verified before anything is parsed (never re-serialised JSON);
// - signed deliveries (registered endpoints) must carry a valid signature, and a timestamp inside
//   the window where their convention has one; an event id seen before is acknowledged and ignored;
// - unsigned deliveries (a render's callback_url; HeyGen does not sign these) are never trusted:
//   the render is fetched from the API and only its real state is acted on;
// - it answers at once and does the work afterwards (HeyGen retries slow or failed deliveries),
//   caps the body size, and acts on each render at most once.
import { createServer } from 'node:http';
import { confirmDelivery, createCloudClient, resolveCredential, verifyWebhook } from 'framesmith/cloud';

const secret = process.env.HEYGEN_WEBHOOK_SECRET ?? '';
const client = createCloudClient({ apiKey: resolveCredential() }); // HEYGEN_API_KEY or HEYGEN_ACCESS_TOKEN
const seenEvents = new Set(); // use your database in production: it must survive restarts
const handledRenders = new Set();
const MAX_BODY = 1024 * 1024;

/** Your work goes here: the render as the API reports it (status, fresh video_url…). */
async function onRenderEnded(detail, how) {
  if (handledRenders.has(detail.render_id)) return;
  handledRenders.add(detail.render_id);
  console.log(`render ${detail.render_id} ${detail.status} (${how})${detail.failure_message ? `: ${detail.failure_message}` : ''}`);
}

const server = createServer((req, res) => {
  if (req.method !== 'POST') return res.writeHead(405).end();
  const chunks = [];
  let size = 0;
  req.on('data', (chunk) => {
    size += chunk.length;
    if (size > MAX_BODY) req.destroy();
    else chunks.push(chunk);
  });
  req.on('end', () => {
    const payload = Buffer.concat(chunks); // the raw bytes, exactly as received
    const check = verifyWebhook({ payload, headers: req.headers, secret, seen: seenEvents });
    if (check.ok) {
      res.writeHead(200).end();
      // The signature proves the body came from HeyGen; fetch the render anyway for fresh links.
      let renderId;
      try {
        renderId = JSON.parse(payload.toString('utf8')).event_data?.render_id;
      } catch {
        renderId = undefined;
      }
      if (typeof renderId !== 'string') return console.log('ignored a signed delivery without event_data.render_id');
      client.renders.get(renderId).then(
        (d) => onRenderEnded(d, `signed, ${check.convention}`),
        (e) => console.log(`could not fetch ${renderId}: ${e.message}`),
      );
    } else if (check.reason === 'replayed') {
      res.writeHead(200).end(); // handled already: acknowledge so HeyGen stops retrying
      console.log(`ignored a replay of ${check.eventId}`);
    } else if (check.reason === 'unsigned') {
      res.writeHead(202).end();
      confirmDelivery(client, payload).then(
        (c) =>
          c.consistent
            ? onRenderEnded(c.detail, 'unsigned, confirmed with the API')
            : console.log(`ignored an unconfirmed delivery: ${c.message}`),
        (e) => console.log(`ignored a delivery: ${e.message}`),
      );
    } else {
      res.writeHead(401).end();
      console.log(`refused a delivery: ${check.message}`);
    }
  });
});

server.listen(Number(process.env.PORT ?? 8080), process.env.HOST ?? '127.0.0.1', () => {
  console.log(`listening on http://${process.env.HOST ?? '127.0.0.1'}:${server.address().port}`);
});
