/* global Response, URL */
// A Cloudflare Worker over the bundled SDK. POST /run exercises the client against the sandbox; POST /notify is the
// merchant's callback endpoint (FetchWebhook); GET /events lists what /notify accepted. INPUT holds the keys (JSON).
import { FetchWebhook } from 'wechatpay-chain';
import { exercise } from './exercise.mjs';

const events = [];
let webhook;

export default {
  async fetch(request, env) {
    const input = JSON.parse(env.INPUT);
    const { pathname } = new URL(request.url);
    try {
      // request-field validation compiles JSON Schemas with ajv (`new Function`), which Workers forbid
      if (pathname === '/run')
        return Response.json(await exercise({ ...input, runtime: 'workerd', validation: false }));
      if (pathname === '/validated') {
        const failure = await exercise({ ...input, runtime: 'workerd' }).catch((error) => error);
        return Response.json({ name: failure?.name, issues: failure?.issues });
      }
      if (pathname === '/notify') {
        webhook ??= await FetchWebhook.create({ certs: input.certs, apiv3Key: input.apiv3Key });
        return await webhook.respond(request, (event) => void events.push(event.resource));
      }
      if (pathname === '/events') return Response.json(events);
      return new Response('not found', { status: 404 });
    } catch (error) {
      return new Response(String(error?.stack ?? error), { status: 500 });
    }
  },
};
