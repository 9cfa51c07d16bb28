import { createHash } from 'node:crypto';
import { rfc3339 } from '../clock';
import { DAY_MS, businessNumber, fingerprint, type RenameApplication } from '../ledger';
import { Rejection } from '../rejection';
import { ok, type Handler } from './context';

/** Merchant archives: personal data comes back encrypted to the calling merchant's key. */
export const mchArchives: Handler = (context) => {
  const account = context.ledger.account(context.query.mchid, context.query.bal_account_no);
  if (!account) throw new Rejection(404, 'NOT_FOUND', '商户资料不存在');
  const seal = context.encryptToCaller;
  return ok({
    mchid: account.mchid,
    bal_account_no: seal(account.bal_account_no),
    merchant_type: '2',
    merchant_id_type: '12',
    merchant_name: seal('沙箱测试商户有限公司'),
    merchant_id_no: seal('91440300MA5XXXXXXX'),
    legal_representative: {
      legal_representative_id_type: '01',
      legal_representative_name: seal('张三'),
      legal_representative_id_no: seal('440301199001011234'),
      legal_representative_effective_date: '2020-01-01',
      legal_representative_expire_date: '2040-01-01',
      legal_representative_img_front_id: 'media-front',
      legal_representative_img_back_id: 'media-back',
      legal_representative_address: seal('广东省深圳市南山区'),
    },
  });
};

// a 1x1 transparent PNG: enough to exercise a media round trip
const PIXEL = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

export const mchMedia: Handler = (context) => {
  if (context.query.business_scene === 'GET_BY_MEDIA_ID' && !context.query.media_id) {
    throw new Rejection(400, 'PARAM_ERROR', '参数错误：按影像件ID查询时 media_id 必填', {
      field: 'media_id',
      issue: '必填',
      location: 'query',
    });
  }
  return ok({
    media_content: PIXEL,
    media_type: 'png',
    media_sm3: createHash('sha256').update(Buffer.from(PIXEL, 'base64')).digest('hex'),
    key: '',
    media_id: context.query.media_id ?? 'media-front',
  });
};

export const rename: Handler = (context) => {
  const json = context.json;
  const key = `rename:${context.caller.mchid}:${String(json.out_request_no)}`;
  const print = fingerprint(json);
  const known = context.ledger.reentry.lookup(key, print, context.now);
  if (known === 'conflict') throw new Rejection(400, 'INVALID_REQUEST', '单号已使用，且本次参数与首次请求不一致');
  if (known) return known;
  const account = context.ledger.account(json.mchid, json.bal_account_no);
  if (!account) throw new Rejection(400, 'NOT_FOUND', '目标商户号或台账不存在');
  const application: RenameApplication = {
    change_scene: 'SUBJECT_INFO_RENAME',
    application_id: businessNumber('4', context.now),
    out_request_no: String(json.out_request_no),
    mchid: account.mchid,
    bal_account_no: account.bal_account_no,
    new_account_name: '沙箱测试商户（更名后）有限公司',
    application_state: 'PROCESSING',
  };
  context.ledger.renames.set(application.application_id, application);
  context.schedule((now) => {
    application.application_state = 'SUCCESS';
    application.finish_time = rfc3339(now);
  });
  const answer = ok(sealed(application, context.encryptToCaller));
  context.ledger.reentry.store(key, print, answer, context.now, 365 * DAY_MS);
  return answer;
};

export const queryRename: Handler = (context) => {
  const application = context.ledger.renames.get(context.params.application_id!);
  if (!application || application.mchid !== context.query.mchid)
    throw new Rejection(404, 'NOT_FOUND', '更名申请单不存在');
  return ok(sealed(application, context.encryptToCaller));
};

function sealed(application: RenameApplication, seal: (text: string) => string): RenameApplication {
  return {
    ...application,
    bal_account_no: seal(application.bal_account_no),
    new_account_name: seal(application.new_account_name),
  };
}
