// The 27-item sheet filled on the real platforms' terms: on WeCom (fake API, app callbacks) three
// selects a template card, the other buttons on a card of their own, the rate as a numbered text
// reply; on DingTalk (fake gateway and OpenAPI, the bot's card template) a section a card.
import { describe, expect, it } from 'vitest';
import { DingtalkApi } from '../bot/dingtalk/api';
import { dingtalkSignIn } from '../bot/dingtalk/sign-in';
import { WECOM_LIMITS } from '../bot/wecom/cards';
import { latestEntries } from '../storage/form-entries';
import { DINGTALK_CLIENT } from './fakes/accounts';
import { startFakeOpenApi } from './fakes/dingtalk-openapi';
import { cardEventXml, textMessageXml } from './fakes/wecom-callback';
import { formPagePath, testBot } from './helpers/bot';
import { dingtalkHarness } from './helpers/dingtalk';
import { AGENT_ID, CORP_ID, wecomHarness } from './helpers/wecom';

type TemplateCard = {
  card_type: string;
  task_id: string;
  main_title: { title: string; desc?: string };
  sub_title_text?: string;
  select_list?: { question_key: string; title: string; option_list: { id: string; text: string }[] }[];
  button_list?: { key: string; text: string }[];
  submit_button?: { key: string; text: string };
};

describe('自查 on WeCom', () => {
  it('fits every page in WeCom’s limits and reaches a graded submission', async () => {
    const h = await wecomHarness();
    const me = 'wangjianguo';
    let msg = 0;
    const say = async (content: string) => {
      await h.client.post(
        textMessageXml({ corpId: CORP_ID, from: me, content, msgId: String(++msg), agentId: AGENT_ID }),
      );
      await h.settle();
    };
    const delivered = () => h.api.inbox(me);
    const press = async (
      card: TemplateCard,
      key: string,
      selected: { questionKey: string; optionIds: string[] }[] = [],
    ) => {
      const responseCode = h.api.issueClickCode(card.task_id, me);
      h.advance(20_000); // a person reads and chooses; WeCom takes 30 messages a minute per member
      await h.client.post(
        cardEventXml({
          corpId: CORP_ID,
          from: me,
          taskId: card.task_id,
          eventKey: key,
          responseCode,
          agentId: AGENT_ID,
          cardType: card.card_type,
          selected,
        }),
      );
      await h.settle();
    };
    const templates = (from: number) =>
      delivered()
        .slice(from)
        .filter((d) => d.msgtype === 'template_card')
        .map((d) => d.body.template_card as TemplateCard);

    await say('自查');
    const [menu] = templates(0);
    expect(menu?.button_list?.map((b) => b.text)).toEqual(['分类定级评分', '调查摸底表']);
    let mark = delivered().length;
    await press(menu as TemplateCard, 'b0');

    const titles: string[] = [];
    for (let guard = 0; guard < 20; guard++) {
      const fresh = delivered().slice(mark);
      mark = delivered().length;
      const cards = templates(delivered().length - fresh.length);
      const form = cards.find((c) => c.card_type === 'multiple_interaction');
      if (form) {
        // Within WeCom's limits: ≤3 selects of ≤10 options; the other buttons beside it.
        expect(form.select_list?.length).toBeLessThanOrEqual(WECOM_LIMITS.selects);
        for (const s of form.select_list ?? [])
          expect(s.option_list.length).toBeLessThanOrEqual(WECOM_LIMITS.selectOptions);
        const rest = cards.find(
          (c) => c.card_type === 'button_interaction' && c.task_id.split('@')[0] === form.task_id.split('@')[0],
        );
        expect(rest?.button_list?.map((b) => b.text)).toContain('暂存');
        titles.push(`${form.main_title.title} ${form.main_title.desc}`);
        const selected = (form.select_list ?? []).map((s) => ({ questionKey: s.question_key, optionIds: ['o0'] }));
        if (form.submit_button?.text === '提交') {
          // A question longer than a select's title is written whole in the card's text, marked ①.
          expect(form.select_list?.map((s) => s.title)).toEqual([
            '①所管理的党员近一…',
            '领导班子不团结',
            '一年以上没有开展活动',
          ]);
          expect(form.sub_title_text).toContain('① 所管理的党员近一年受到刑事处罚、行政处罚、校纪校规处分');
          await press(form, form.submit_button.key, selected);
          break;
        }
        await press(form, 'b0', selected);
        continue;
      }
      // The rate cannot be a template card input: the page comes as text with numbered replies.
      const text = fresh.find((d) => d.msgtype === 'markdown');
      const markdown = (text?.body.markdown as { content: string } | undefined)?.content ?? '';
      expect(markdown).toContain('在教师、学生、家长满意度测评中满意率较高（满意率 %）');
      titles.push('群众反映好 (text)');
      await say('1 96');
    }
    expect(titles).toEqual([
      '自查 · 领导班子好（20分） 第 1/6 部分 · 已填 0/30 项',
      '自查 · 领导班子好（20分） 第 1/6 部分 · 已填 3/30 项',
      '自查 · 领导班子好（20分） 第 1/6 部分 · 已填 6/30 项',
      '自查 · 党员队伍好（15分） 第 2/6 部分 · 已填 7/30 项',
      '自查 · 党员队伍好（15分） 第 2/6 部分 · 已填 10/30 项',
      '自查 · 党员队伍好（15分） 第 2/6 部分 · 已填 13/30 项',
      '自查 · 工作机制好（20分） 第 3/6 部分 · 已填 14/30 项',
      '自查 · 工作机制好（20分） 第 3/6 部分 · 已填 17/30 项',
      '自查 · 工作机制好（20分） 第 3/6 部分 · 已填 20/30 项',
      '自查 · 工作业绩好（25分） 第 4/6 部分 · 已填 21/30 项',
      '自查 · 工作业绩好（25分） 第 4/6 部分 · 已填 24/30 项',
      '群众反映好 (text)',
      '自查 · 直接定为后进的情形 第 6/6 部分 · 已填 27/30 项',
    ]);
    const result = delivered()
      .slice(mark)
      .map((d) => JSON.stringify(d.body))
      .join('\n');
    expect(result).toContain('自评总分：99.2分'); // 80 of the 80 scored items' points, 96% of 20
    expect(result).toContain('按自评初定：先进');
    await h.close();
  });
});

describe('自查 web page on WeCom', () => {
  it('lets in only the member the link was made for, as WeCom OAuth (snsapi_base) says', async () => {
    const h = await wecomHarness({ links: { baseUrl: 'http://bot.test', secret: 'web-form-secret-wecom' } });
    const base = `http://127.0.0.1:${h.port}`;
    await h.client.post(
      textMessageXml({ corpId: CORP_ID, from: 'wangjianguo', content: '自查', msgId: '1', agentId: AGENT_ID }),
    );
    await h.settle();
    const menu = h.api.inbox('wangjianguo')[0]?.body.template_card as TemplateCard;
    const code = h.api.issueClickCode(menu.task_id, 'wangjianguo');
    await h.client.post(
      cardEventXml({
        corpId: CORP_ID,
        from: 'wangjianguo',
        taskId: menu.task_id,
        eventKey: 'b0',
        responseCode: code,
        agentId: AGENT_ID,
      }),
    );
    await h.settle();
    const text = JSON.stringify(h.api.inbox('wangjianguo').map((d) => d.body));
    const link = (text.match(/http:\/\/bot\.test[^\s"\\]+/)?.[0] ?? '').replace('http://bot.test', base);
    expect(link).toContain('/forms/fill?');

    // Opened in WeCom: off to OAuth, back with a code.
    const first = await fetch(link, { redirect: 'manual' });
    expect(first.status).toBe(302);
    const auth = new URL(first.headers.get('location') ?? '');
    expect(`${auth.origin}${auth.pathname}`).toBe('https://open.weixin.qq.com/connect/oauth2/authorize');
    expect(auth.searchParams.get('scope')).toBe('snsapi_base');
    const back = auth.searchParams.get('redirect_uri') ?? '';
    // A forwarded link: someone else's code opens nothing.
    const other = await fetch(`${back}&code=${h.api.issueOAuthCode('zhangwei')}&state=zhibu`, { redirect: 'manual' });
    expect(other.status).toBe(403);
    expect(await other.text()).toContain('这个链接是发给别人的');
    const mine = await fetch(`${back}&code=${h.api.issueOAuthCode('wangjianguo')}&state=zhibu`, { redirect: 'manual' });
    expect(mine.status).toBe(302);
    const cookie = (mine.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const page = await fetch(mine.headers.get('location') ?? '', { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('【领导班子好 20分】');
    // Without the cookie a post is refused; with it, 暂存 keeps the draft.
    const form = new URLSearchParams({ i1: '3', button: '1' });
    expect((await fetch(link, { method: 'POST', body: form })).status).toBe(403);
    const saved = await fetch(link, { method: 'POST', body: form, headers: { cookie } });
    expect(await saved.text()).toContain('已暂存');
    await h.close();
  });
});

describe('自查 web page on DingTalk', () => {
  it('asks the DingTalk client for a 免登 code and lets in only the member the link was made for', async () => {
    const api = await startFakeOpenApi({ ...DINGTALK_CLIENT, users: ['dt-liuyang', 'dt-zhaolei'] });
    const dingtalk = new DingtalkApi({ ...DINGTALK_CLIENT, apiBase: api.url, oapiBase: api.url });
    const links = { baseUrl: 'http://bot.test', secret: 'web-form-secret-dingtalk' };
    const t = await testBot({ links, signIn: { dingtalk: dingtalkSignIn('dingcorp123', dingtalk) } });
    const path = await formPagePath(t.db, links, '延陵小学党支部', 'dingtalk', 'dt-liuyang');

    const first = await t.app.request(path);
    expect(first.status).toBe(200);
    const html = await first.text();
    expect(html).toContain('dd.runtime.permission.requestAuthCode');
    expect(html).toContain('"dingcorp123"');
    const other = await t.app.request(`${path}&code=${api.issueAuthCode('dt-zhaolei')}`);
    expect(other.status).toBe(403);
    const mine = await t.app.request(`${path}&code=${api.issueAuthCode('dt-liuyang')}`);
    expect(mine.status).toBe(302);
    const cookie = (mine.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const page = await t.app.request(mine.headers.get('location') ?? '', { headers: { cookie } });
    expect(await page.text()).toContain('【领导班子好 20分】');
    // A code is good once.
    const code = api.issueAuthCode('dt-liuyang');
    expect((await t.app.request(`${path}&code=${code}`)).status).toBe(302);
    expect((await t.app.request(`${path}&code=${code}`)).status).toBe(403);
    t.close();
    await api.close();
  });
});

describe('自查 on DingTalk', () => {
  it('shows a section a card through the template and takes the inputs a click carries', async () => {
    const d = await dingtalkHarness({ template: true });
    d.stream.start();
    await d.gateway.waitConnections(1);
    d.gateway.pushRobot(d.robotPayload('自查', 'dt-liuyang'));
    await d.until(() => d.api.cards.size === 1);
    const menu = [...d.api.cards.values()][0];
    expect(JSON.parse(menu?.cardParamMap.buttons ?? '[]').map((b: { text: string }) => b.text)).toEqual([
      '分类定级评分',
      '调查摸底表',
    ]);
    d.gateway.pushCardClick({
      outTrackId: menu?.outTrackId ?? '',
      userId: 'dt-liuyang',
      actionIds: ['b0'],
      params: {},
    });
    await d.until(() => d.api.cards.size === 2);
    const page = [...d.api.cards.values()][1];
    expect(page?.cardParamMap.title).toBe('自查 · 领导班子好（20分）');
    const inputs = JSON.parse(page?.cardParamMap.inputs ?? '[]') as { name: string }[];
    expect(inputs.map((i) => i.name)).toEqual(['i1', 'i2', 'i3', 'i4', 'i5', 'i6', 'i7']);
    // A score above the item's maximum (only a forged click can send one) is refused; nothing stored.
    const forged = d.gateway.pushCardClick({
      outTrackId: page?.outTrackId ?? '',
      userId: 'dt-liuyang',
      actionIds: ['b0'],
      params: { i1: '9' },
    });
    await d.until(() => d.gateway.ackFor(forged) !== undefined);
    const shown = () => d.api.cards.get(page?.outTrackId ?? '')?.cardParamMap;
    expect(shown()?.title).toBe('自查 · 领导班子好（20分）');
    expect(shown()?.status).toBe('第 1/6 部分 · 已填 0/30 项');
    expect((await latestEntries(d.t.db, 'grading', '2026'))[0]?.answers).toEqual({});
    const good = d.gateway.pushCardClick({
      outTrackId: page?.outTrackId ?? '',
      userId: 'dt-liuyang',
      actionIds: ['b0'],
      params: { i1: '3', i2: '3', i3: '3', i4: '3', i5: '3', i6: '2', i7: '3' },
    });
    await d.until(() => d.gateway.ackFor(good) !== undefined);
    // The same card turns to the next section.
    await d.until(() => shown()?.title === '自查 · 党员队伍好（15分）');
    expect(shown()?.status).toBe('第 2/6 部分 · 已填 7/30 项');
    await d.close();
  });
});
