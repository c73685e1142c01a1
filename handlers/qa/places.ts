// China's provinces and prefecture-level cities (GB/T 2260, from @vant/area-data), by the short
// names people use (上海, 深圳, 恩施): a question may name a place without 市/省 (上海那边怎么做),
// and no loaded document may be from it. The documents' own places come from their metadata
// (ingest placesOf); this only says what else is a place, and which places hold which.
import { areaList } from '@vant/area-data';
import { boundaries } from './tokenize';

/** A division's name without what says its kind (省, 市, 地区, 盟, 土家族苗族自治州). */
function shortName(name: string): string {
  return name
    .replace(/(?:(?:土家|朝鲜|布依|哈尼|景颇|傈僳|柯尔克孜|哈萨克|蒙古|藏|羌|彝|苗|侗|壮|傣|白|回)族?)+自治[州县]$/, '')
    .replace(/(?:壮族|回族|维吾尔)?自治区$/, '')
    .replace(/(?:特别行政区|地区|省|市|盟|县|区|旗)$/, '');
}

/** Short name → the codes of the divisions so called (朝阳 is a city and a district). */
function indexOf(list: Record<string, string>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [code, name] of Object.entries(list)) {
    if (/直辖|行政区划/.test(name)) continue;
    const short = shortName(name);
    if (short.length < 2) continue;
    out.set(short, [...(out.get(short) ?? []), code]);
  }
  return out;
}

/** Provinces and cities: the places a question names without a suffix. */
const BROAD = new Map<string, string[]>([...indexOf(areaList.province_list)]);
for (const [name, codes] of indexOf(areaList.city_list)) BROAD.set(name, [...(BROAD.get(name) ?? []), ...codes]);
/** Counties and districts too: where a document's place (金凤, 瑞安) lies. */
const ALL = new Map(BROAD);
for (const [name, codes] of indexOf(areaList.county_list)) ALL.set(name, [...(ALL.get(name) ?? []), ...codes]);
const NAMES = [...BROAD.keys()].sort((a, b) => b.length - a.length);
/**
 * Counties and districts by their full names (兴庆区, 武进区, 贺兰县): a short county name is too
 * often a word (和平, 长安, 城关), so only the name with its kind is one. Zones named for what they
 * are (经济技术开发区, 高新区) and the bare 东区, 市中区 are not places a question names.
 */
const COUNTY_NAMES = [
  ...new Set(
    Object.values(areaList.county_list).filter(
      (n) => n.length >= 3 && !/开发|高新|园区|管理区|其它|示范|^市中区$/.test(n),
    ),
  ),
].sort((a, b) => b.length - a.length);

/** The code's prefix that every division within it shares (44 for 广东, 4403 for 深圳). */
const prefixOf = (code: string) => code.replace(/(00)+$/, '');

/** `outer` holds `inner` or is it: 宁夏 holds 金凤, 温州 holds 瑞安, 常州 holds 武进区, 常州 is 常州. */
export function encloses(outer: string, inner: string): boolean {
  if (outer === inner) return true;
  const inside = ALL.get(inner) ?? ALL.get(shortName(inner)) ?? [];
  return (BROAD.get(outer) ?? []).some((o) => inside.some((i) => i !== o && i.startsWith(prefixOf(o))));
}

/**
 * What follows a short place name that is one (深圳那边, 上海的, 湖南和广东, 恩施州, 宁夏两个地方, 江苏三家):
 * punctuation, the end, a division's kind, a word that speaks of a place, or a count of the places
 * in it. Else the name is part of a longer word (长治 in 长治久安, 大同 in 大同小异).
 */
const AFTER_PLACE =
  /^(?:$|[^\p{Script=Han}]|那|这|当地|本地|的|之|市|省|州|地区|盟|和|与|跟|同|或|及|以及|等|呢|吗|也|都|是|有|在|怎|咋|如何|为|对|关于|方面|一带|各|[两二三四五六七八九十几]+(?:个|家|地|处))/u;

/** The counties and districts a text names by their full names (兴庆区, 红寺堡区), longest first. */
export function countiesIn(text: string): string[] {
  const out: string[] = [];
  for (const name of COUNTY_NAMES) if (text.includes(name) && !out.some((o) => o.includes(name))) out.push(name);
  return out;
}

/**
 * The provinces and cities a text names by their short names, each as whole words (by ICU's word
 * boundaries) and followed as a place is.
 */
export function broadPlacesIn(text: string): string[] {
  let bounds: Set<number> | null = null;
  const out: string[] = [];
  for (const name of NAMES) {
    if (!text.includes(name) || out.some((o) => o.includes(name))) continue;
    bounds ??= boundaries(text);
    for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
      const end = at + name.length;
      if (bounds.has(at) && bounds.has(end) && AFTER_PLACE.test(text.slice(end))) {
        out.push(name);
        break;
      }
    }
  }
  return out;
}

/**
 * The provinces and cities named that are only the address of a county or district also named
 * (银川 in 银川市兴庆区): the most specific place named is the one asked of.
 */
export function addressesOnly(broad: string[], text: string): string[] {
  const counties = countiesIn(text);
  return broad.filter((b) => counties.some((c) => encloses(b, c)));
}
