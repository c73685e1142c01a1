// Who opened a web page from a link sent over DingTalk: H5 免登, a page whose JSAPI asks the DingTalk
// client for a code (with the organisation's CorpId) and comes back with it.
import type { PageSignIn } from '../core/platform';

export function dingtalkSignIn(
  corpId: string,
  api: { userIdByAuthCode(code: string): Promise<string | null> },
): PageSignIn {
  const html = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>正在确认身份…</title>
<script src="https://g.alicdn.com/dingding/dingtalk-jsapi/3.0.25/dingtalk.open.js"></script></head>
<body><p id="m">正在确认身份…</p><script>
dd.ready(function(){dd.runtime.permission.requestAuthCode({corpId:${JSON.stringify(corpId)},
onSuccess:function(r){var u=new URL(location.href);u.searchParams.set('code',r.code);location.replace(u.toString());},
onFail:function(){document.getElementById('m').textContent='请在钉钉里打开这个链接。';}});});
</script></body></html>`;
  return { begin: () => ({ html }), userId: (code) => api.userIdByAuthCode(code) };
}
