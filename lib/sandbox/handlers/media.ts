import { createHash } from 'node:crypto';
import { parseMultipart } from '../multipart';
import { Rejection } from '../rejection';
import { ok, type Handler } from './context';
import { paramError } from './fields';

/** Image upload (`/v3/merchant/media/upload`): JPG, BMP or PNG up to 5 MiB, checked against the meta's sha256. */
const IMAGE = /\.(jpe?g|png|bmp)$/i;
const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

export const uploadImage: Handler = (context) => {
  const parts = parseMultipart(context.raw.body, context.raw.contentType);
  let meta: { filename?: unknown; sha256?: unknown };
  try {
    meta = JSON.parse(parts.meta.toString('utf8')) as typeof meta;
  } catch {
    throw paramError('meta', '须为 JSON 对象', 'body');
  }
  if (typeof meta.filename !== 'string' || !meta.filename)
    throw paramError('meta.filename', '字段缺失（必填）', 'body');
  if (!IMAGE.test(meta.filename))
    throw paramError('meta.filename', '媒体图片只支持 JPG、BMP、PNG 格式', 'body', meta.filename);
  if (typeof meta.sha256 !== 'string') throw paramError('meta.sha256', '字段缺失（必填）', 'body');
  if (parts.file.length === 0) throw paramError('file', '文件为空', 'body');
  if (parts.file.length > MAX_IMAGE_BYTES)
    throw new Rejection(400, 'PARAM_ERROR', `参数错误：file 超过 ${MAX_IMAGE_BYTES} 字节`);
  const digest = createHash('sha256').update(parts.file).digest('hex');
  if (digest !== meta.sha256.toLowerCase())
    throw paramError('meta.sha256', '与上传文件的 SHA-256 摘要不一致', 'body', meta.sha256);
  // deterministic for a merchant and a file, so a re-upload gets the same id
  const mediaId = createHash('sha512').update(`${context.caller.mchid}:${digest}`).digest('base64url');
  context.payments.media.set(mediaId, {
    mchid: context.caller.mchid,
    filename: meta.filename,
    bytes: parts.file.length,
  });
  return ok({ media_id: mediaId });
};
