// The simulator page: pick a member and a chat, talk to the bot, click its cards.
// Plain HTML and script with no build step; it uses only the simulator's JSON API.
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
  .bubble { background: #fff; border-radius: 8px; padding: 8px 12px; max-width: 80%; white-space: pre-wrap; box-shadow: 0 1px 2px #0001; }
  .me .bubble { background: #95ec69; }
  .note { color: #8f959e; font-size: 12px; margin: 2px 0; }
  .card { background: #fff; border: 1px solid #dee0e3; border-radius: 8px; padding: 12px; max-width: 90%; }
  .card h3 { margin: 0 0 8px; font-size: 16px; }
  .card .body { white-space: normal; line-height: 1.6; }
  .card .body p { margin: 4px 0; }
  .card dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 12px; margin: 8px 0; }
  .card dt { color: #646a73; }
  .card label { display: block; margin: 8px 0 2px; color: #646a73; }
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
let seenInbox = 0;

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

function add(node, mine) {
  const row = document.createElement('div');
  row.className = 'msg' + (mine ? ' me' : '');
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

function cardNode(card) {
  const el = document.createElement('div');
  el.className = 'card';
  el.dataset.cardId = card.id;
  let html = '<h3>' + esc(card.title) + '</h3>';
  if (card.body) html += '<div class="body">' + markdown(card.body) + '</div>';
  if (card.fields.length) html += '<dl>' + card.fields.map((f) => '<dt>' + esc(f.label) + '</dt><dd>' + esc(f.value) + '</dd>').join('') + '</dl>';
  for (const input of card.inputs) {
    html += '<label>' + esc(input.label) + (input.required ? ' *' : '') + '</label>';
    if (input.kind === 'text') {
      html += '<input name="' + esc(input.name) + '" value="' + esc(input.value || '') + '" placeholder="' + esc(input.placeholder || '') + '">';
    } else {
      const chosen = [].concat(input.value || []);
      html += '<select name="' + esc(input.name) + '"' + (input.multiple ? ' multiple' : '') + '>' +
        (input.multiple ? '' : '<option value="">请选择</option>') +
        input.options.map((o) => '<option value="' + esc(o.value) + '"' + (chosen.includes(o.value) ? ' selected' : '') + '>' + esc(o.label) + '</option>').join('') +
        '</select>';
    }
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

function show(outputs) {
  for (const o of outputs) {
    if (o.type === 'text') add(bubble(o.text));
    else if (o.type === 'card') add(cardNode(o.card));
    else if (o.type === 'card-update') {
      const old = document.querySelector('[data-card-id="' + CSS.escape(o.card.id) + '"]');
      if (old) old.replaceWith(cardNode(o.card)); else add(cardNode(o.card));
    }
  }
}

function valuesOf(el) {
  const values = {};
  for (const f of el.querySelectorAll('input[name], select[name]')) {
    values[f.name] = f.multiple ? [...f.selectedOptions].map((o) => o.value) : f.value;
  }
  return values;
}

async function click(cardId, action, el) {
  try {
    show((await api('action', { member: $('member').value, card: cardId, action, values: valuesOf(el) })).outputs);
  } catch (err) { add(bubble(err.message, 'error')); }
}

$('say').addEventListener('submit', async (e) => {
  e.preventDefault();
  const text = $('text').value.trim();
  if (!text) return;
  $('text').value = '';
  add(bubble(text), true);
  try {
    show((await api('message', { member: $('member').value, chat: $('chat').value, text })).outputs);
  } catch (err) { add(bubble(err.message, 'error')); }
});

async function pollInbox() {
  try {
    const { messages } = await api('inbox?member=' + encodeURIComponent($('member').value));
    const fresh = messages.slice(seenInbox);
    seenInbox = messages.length;
    if (fresh.length) {
      const n = document.createElement('div'); n.className = 'note'; n.textContent = '（主动消息）';
      add(n);
      show(fresh);
    }
  } catch { /* the next poll tries again */ }
}

async function start() {
  const [{ members }, { chats }] = await Promise.all([api('members'), api('chats')]);
  $('member').innerHTML = members.map((m) => '<option value="' + esc(m.id) + '">' + esc(m.name + '（' + m.roles.join('、') + '）') + '</option>').join('') +
    '<option value="guest:访客老师">访客老师（不在名册）</option>';
  $('chat').innerHTML = '<option value="direct">与助手单聊</option>' +
    chats.map((c) => '<option value="' + esc(c.id) + '">' + esc(c.title || c.id) + '</option>').join('');
  const reset = async () => { log.innerHTML = ''; seenInbox = (await api('inbox?member=' + encodeURIComponent($('member').value))).messages.length; };
  $('member').addEventListener('change', reset);
  $('chat').addEventListener('change', () => { log.innerHTML = ''; });
  await reset();
  setInterval(pollInbox, 3000);
  $('text').focus();
}
start().catch((err) => add(bubble('模拟器加载失败：' + err.message, 'error')));
</script>
</body>
</html>
`;
