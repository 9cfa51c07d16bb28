/* global Response, URL */
// A Cloudflare Worker over the bundled SDK. POST /run exercises the client against the sandbox; POST /notify is the
// merchant's callback endpoint (FetchWebhook); GET /events lists what /notify accepted. INPUT holds the keys (JSON).
import { Builder, FetchWebhook } from 'wechatpay-chain';
import { exercise } from './exercise.mjs';

const events = [];
let webhook;

export default {
  async fetch(request, env) {
    const input = JSON.parse(env.INPUT);
    const { pathname } = new URL(request.url);
    try {
      // the default `validation: true`: every catalogued call is checked on workerd too (no code generation needed)
      if (pathname === '/run') return Response.json(await exercise({ ...input, runtime: 'workerd' }));
      // a ValidationError (not the sandbox's 400 ApiError) means it was refused locally, on workerd
      if (pathname === '/invalid') {
        const { mchid, serial, privateKey, certs, baseURL } = input;
        const client = await Builder.create({ mchid, serial, privateKey, certs, baseURL });
        const failure = await client.v3.aggracctBc.wbChannel.controlOrders.punish
          .post({ json: { out_request_no: 'workerd-X', mchid: 1900016681, punish_scene: 1 } })
          .then(
            () => undefined,
            (error) => error,
          );
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
