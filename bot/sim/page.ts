// The simulator page: pick a member and a chat, talk to the bot, click its cards. The chat on
// screen is read from the server's history and polled every second, so a group looks the same to
// every member and a member's one-to-one chat shows what the bot sent on its own, even before the
// page was opened. Plain HTML and script with no build step; it uses only the simulator's JSON API.
export const simPage = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>支部助手 · 模拟器</title>
<style>
  body { font-family: system-ui, "PingFang SC", "Microsoft YaHei", sans-serif; margin: 0; background: #f2f3f5; color: #1f2329; }
  header { background: #c8161d; color: #fff; padding: 10px 16px; display: flex; gap: 12px; align-items: center; flex-wrap: wrap; }
  header h1 { font-size: 17px; margin: 0 12px 0 0; }
  header select { font-size: 14px; padding: 3px; }
  main { max-width: 760px; margin: 0 auto; padding: 12px; }
  #log { min-height: 60vh; }
  .msg { margin: 8px 0; display: flex; }
  .msg.me { justify-content: flex-end; }
  .msg.center { justify-content: center; }
  .msg.from { margin-bottom: 0; }
  .bubble { background: #fff; border-radius: 8px; padding: 8px 12px; max-width: 80%; white-space: pre-wrap; box-shadow: 0 1px 2px #0001; }
  .me .bubble { background: #95ec69; }
  .note { color: #8f959e; font-size: 12px; margin: 2px 0; }
  .card { background: #fff; border: 1px solid #dee0e3; border-radius: 8px; padding: 12px; max-width: 90%; }
  .card h3 { margin: 0 0 8px; font-size: 16px; }
  .card .body { white-space: normal; line-height: 1.6; }
  .card .body p { margin: 4px 0; }
  .card dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 12px; margin: 8px 0; }
  .card dt { color: #646a73; }
  .card label.field { display: block; margin: 8px 0 2px; color: #646a73; }
  .card textarea, .card input:not([type=checkbox]), .card select { width: 100%; box-sizing: border-box; font: inherit; padding: 4px; }
  .card .choices { display: flex; flex-wrap: wrap; gap: 4px 14px; }
  .card .choice { color: #1f2329; }
  .card .buttons { display: flex; gap: 8px; flex-wrap: wrap; margin-top: 10px; }
  .card button { border: 1px solid #c8161d; color: #c8161d; background: #fff; border-radius: 4px; padding: 5px 12px; cursor: pointer; }
  .card button.primary { background: #c8161d; color: #fff; }
  .card .status { margin-top: 8px; color: #646a73; font-size: 13px; border-top: 1px dashed #dee0e3; padding-top: 6px; }
  form#say { display: flex; gap: 8px; position: sticky; bottom: 0; background: #f2f3f5; padding: 10px 0; }
  form#say input { flex: 1; font-size: 15px; padding: 8px; }
  form#say button { font-size: 15px; padding: 8px 16px; }
  .error { color: #c8161d; }
</style>
</head>
<body>
<header>
  <h1>支部助手 · 模拟器</h1>
  <label>成员 <select id="member"></select></label>
  <label>会话 <select id="chat"></select></label>
</header>
<main>
  <div id="log"></div>
  <form id="say"><input id="text" autocomplete="off" placeholder="输入消息，例如：帮助"><button type="submit">发送</button></form>
</main>
<script>
const $ = (id) => document.getElementById(id);
const log = $('log');
/** A text field that takes more than a line (the bot's forms allow 500 characters) is a textarea. */
const LONG_TEXT = 100;
/** The chat on screen: the group's own, or the selected member's one-to-one. */
let shown = { key: '', seq: 0 };
let polling = false;

const esc = (s) => String(s).replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]);
function markdown(text) {
  return esc(text).split('\\n').map((line) => {
    const html = line.replace(/\\*\\*(.+?)\\*\\*/g, '<b>$1</b>');
    return line.startsWith('- ') ? '<p>• ' + html.slice(2) + '</p>' : '<p>' + html + '</p>';
  }).join('');
}

async function api(path, body) {
  const res = await fetch('/sim/api/' + path, body ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {});
  const data = await res.json();
  if (!res.ok) throw new Error(data.error || res.statusText);
  return data;
}

function add(node, cls) {
  const row = document.createElement('div');
  row.className = 'msg' + (cls ? ' ' + cls : '');
  row.appendChild(node);
  log.appendChild(row);
  row.scrollIntoView({ block: 'end' });
}
function bubble(text, cls) {
  const b = document.createElement('div');
  b.className = 'bubble' + (cls ? ' ' + cls : '');
  b.textContent = text;
  return b;
}
function note(text) {
  const n = document.createElement('div');
  n.className = 'note';
  n.textContent = text;
  return n;
}

function inputHtml(input) {
  const chosen = [].concat(input.value || []);
  if (input.kind === 'text') {
    const attrs = ' name="' + esc(input.name) + '" maxlength="' + (input.maxLength || 500) + '" placeholder="' + esc(input.placeholder || '') + '"';
    return (input.maxLength || 500) > LONG_TEXT
      ? '<textarea' + attrs + ' rows="3">' + esc(input.value || '') + '</textarea>'
      : '<input' + attrs + ' value="' + esc(input.value || '') + '">';
  }
  if (input.multiple) {
    return '<div class="choices" data-name="' + esc(input.name) + '">' + input.options.map((o) =>
      '<label class="choice"><input type="checkbox" name="' + esc(input.name) + '" value="' + esc(o.value) + '"' + (chosen.includes(o.value) ? ' checked' : '') + '> ' + esc(o.label) + '</label>').join('') + '</div>';
  }
  return '<select name="' + esc(input.name) + '"><option value="">请选择</option>' +
    input.options.map((o) => '<option value="' + esc(o.value) + '"' + (chosen.includes(o.value) ? ' selected' : '') + '>' + esc(o.label) + '</option>').join('') +
    '</select>';
}

function cardNode(card) {
  const el = document.createElement('div');
  el.className = 'card';
  el.dataset.cardId = card.id;
  let html = '<h3>' + esc(card.title) + '</h3>';
  if (card.body) html += '<div class="body">' + markdown(card.body) + '</div>';
  if (card.fields.length) html += '<dl>' + card.fields.map((f) => '<dt>' + esc(f.label) + '</dt><dd>' + esc(f.value) + '</dd>').join('') + '</dl>';
  for (const input of card.inputs) {
    html += '<label class="field">' + esc(input.label) + (input.required ? ' *' : '') + '</label>' + inputHtml(input);
  }
  if (card.actions.length) html += '<div class="buttons">' + card.actions.map((a) => '<button type="button" class="' + esc(a.style) + '" data-action="' + esc(a.id) + '">' + esc(a.label) + '</button>').join('') + '</div>';
  if (card.status) html += '<div class="status">' + esc(card.status) + '</div>';
  el.innerHTML = html;
  el.addEventListener('click', (e) => {
    const action = e.target.dataset && e.target.dataset.action;
    if (action) click(card.id, action, el);
  });
  return el;
}

function showCard(card, update) {
  const old = update && log.querySelector('[data-card-id="' + CSS.escape(card.id) + '"]');
  if (old) old.replaceWith(cardNode(card)); else add(cardNode(card));
}

/** One entry of the chat's history, as the chat shows it. */
function show(m) {
  const me = $('member').value;
  if (m.type === 'said') {
    const mine = m.author && m.author.id === me;
    if (!mine && $('chat').value !== 'direct') add(note(m.author.name), 'from');
    add(bubble(m.text), mine ? 'me' : 'them');
  } else if (m.type === 'clicked') {
    add(note((m.author.id === me ? '我' : m.author.name) + ' 点了「' + m.label + '」'), 'center');
  } else if (m.type === 'text') add(bubble(m.text));
  else showCard(m.card, m.type === 'card-update');
}

function conversation() {
  const chat = $('chat').value;
  const member = $('member').value;
  return { chat, member, key: chat === 'direct' ? 'direct:' + member : chat };
}

/** Shows what the chat on screen got since it was last read (all of it when the chat changed). */
async function poll() {
  if (polling) return;
  polling = true;
  try {
    const c = conversation();
    if (c.key !== shown.key) { log.innerHTML = ''; shown = { key: c.key, seq: 0 }; }
    const { messages } = await api('history?chat=' + encodeURIComponent(c.chat) + '&member=' + encodeURIComponent(c.member) + '&after=' + shown.seq);
    if (c.key !== shown.key) return; // switched while reading: the next poll reads the new chat
    for (const m of messages) show(m);
    if (messages.length) shown.seq = messages[messages.length - 1].seq;
  } catch (err) {
    /* the next poll tries again */
  } finally {
    polling = false;
  }
}
/** Polls now, or right after the poll under way. */
async function refresh() {
  while (polling) await new Promise((r) => setTimeout(r, 20));
  await poll();
}

function valuesOf(el) {
  const values = {};
  for (const f of el.querySelectorAll('input[name]:not([type=checkbox]), textarea[name], select[name]')) values[f.name] = f.value;
  for (const box of el.querySelectorAll('.choices')) {
    values[box.dataset.name] = [...box.querySelectorAll('input:checked')].map((i) => i.value);
  }
  return values;
}

async function click(cardId, action, el) {
  try {
    await api('action', { member: $('member').value, card: cardId, action, values: valuesOf(el) });
  } catch (err) { add(bubble(err.message, 'error')); }
  await refresh();
}

$('say').addEventListener('submit', async (e) => {
  e.preventDefault();
  const text = $('text').value.trim();
  if (!text) return;
  $('text').value = '';
  try {
    await api('message', { member: $('member').value, chat: $('chat').value, text });
  } catch (err) { add(bubble(text, 'me')); add(bubble(err.message, 'error')); }
  await refresh();
});

async function start() {
  const [{ members }, { chats }] = await Promise.all([api('members'), api('chats')]);
  // Members come in roster order (organisation, then role): one group per organisation.
  let html = '';
  let org = null;
  for (const m of members) {
    if (m.organisation !== org) {
      if (org !== null) html += '</optgroup>';
      org = m.organisation;
      html += '<optgroup label="' + esc((org || '未分组').split('/').pop()) + '">';
    }
    html += '<option value="' + esc(m.id) + '">' + esc(m.name + '（' + m.roles.join('、') + '）') + '</option>';
  }
  if (org !== null) html += '</optgroup>';
  $('member').innerHTML = html + '<option value="guest:访客老师">访客老师（不在名册）</option>';
  $('chat').innerHTML = '<option value="direct">与助手单聊</option>' +
    chats.map((c) => '<option value="' + esc(c.id) + '">' + esc(c.title || c.id) + '</option>').join('');
  // Another member sees the same group chat, drawn again from their side (their messages on the right).
  $('member').addEventListener('change', () => { shown.key = ''; return refresh(); });
  $('chat').addEventListener('change', refresh);
  await refresh();
  setInterval(poll, 1000);
  $('text').focus();
}
start().catch((err) => add(bubble('模拟器加载失败：' + err.message, 'error')));
</script>
</body>
</html>
`;
