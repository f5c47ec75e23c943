// The organisation matcher of the import (docs/domain.md, 「导入时的单位匹配」).
import { describe, expect, it } from "vitest";
import {
  diceSimilarity,
  matchOrg,
  MAX_SUGGESTIONS,
  MIN_SUGGESTION_SCORE,
  normaliseOrgName,
  orgNameSimilarity,
  regionPrefixes,
  unanimous,
} from "../../app/domain/org-match";

const WANSHENG = regionPrefixes("重庆市万盛经济技术开发区");
const NANAN = regionPrefixes("重庆市南岸区");

describe("regionPrefixes", () => {
  it("derives the full name, the city, the local part in full, abbreviated and bare, longest first", () => {
    expect(WANSHENG).toEqual([
      "重庆市万盛经济技术开发区",
      "万盛经济技术开发区",
      "重庆市万盛经开区",
      "重庆市万盛区",
      "万盛经开区",
      "重庆市万盛",
      "万盛区",
      "重庆市",
      "万盛",
    ]);
    expect(NANAN).toEqual(["重庆市南岸区", "重庆市南岸", "南岸区", "重庆市", "南岸"]);
  });

  it("handles provinces, counties, full-width spaces and names without a city", () => {
    expect(regionPrefixes("四川省　宜宾市")).toEqual(expect.arrayContaining(["四川省宜宾市", "四川省", "宜宾市", "宜宾"]));
    expect(regionPrefixes("彭水苗族土家族自治县")).toEqual(expect.arrayContaining(["彭水苗族土家族自治县", "彭水苗族土家族"]));
    expect(regionPrefixes("本地区")).toEqual(["本地区", "本地"]);
    expect(regionPrefixes("")).toEqual([]);
    expect(regionPrefixes(null)).toEqual([]);
  });
});

describe("normaliseOrgName", () => {
  it("drops whitespace, punctuation and brackets of either width, and 本级", () => {
    expect(normaliseOrgName(" 中小企业 服务中心 ")).toBe("中小企业中心");
    expect(normaliseOrgName("油电气服务中心（本级）")).toBe("油电气中心");
    expect(normaliseOrgName("油电气服务中心(本级)")).toBe("油电气中心");
    expect(normaliseOrgName("油电气服务中心【本级】")).toBe("油电气中心");
    expect(normaliseOrgName("油电气服务中心本级")).toBe("油电气中心");
    expect(normaliseOrgName("区政府（办公室）")).toBe("区政府办");
    expect(normaliseOrgName("“885”工作专班·综合组")).toBe("885工作专班综合组");
    expect(normaliseOrgName("ＡＢＣ局")).toBe("ABC局");
  });

  it("strips the region's prefixes, repeatedly, but always leaves two characters", () => {
    expect(normaliseOrgName("重庆市万盛经济技术开发区经济和信息化局", WANSHENG)).toBe("经信局");
    expect(normaliseOrgName("万盛经开区经济信息局", WANSHENG)).toBe("经信局");
    expect(normaliseOrgName("重庆市 万盛区 财政局", WANSHENG)).toBe("财政局");
    expect(normaliseOrgName("南岸区财政局", NANAN)).toBe("财政局");
    expect(normaliseOrgName("南岸财政局", NANAN)).toBe("财政局");
    expect(normaliseOrgName("重庆市财政局", NANAN)).toBe("财政局");
    expect(normaliseOrgName("南岸区", NANAN)).toBe("南岸区");
    expect(normaliseOrgName("南岸区委", NANAN)).toBe("区委");
    // Another region's name is not a prefix here.
    expect(normaliseOrgName("綦江区财政局", NANAN)).toBe("綦江区财政局");
  });

  it("applies the common abbreviations, the longest first", () => {
    expect(normaliseOrgName("经济和信息化委员会")).toBe("经信委");
    expect(normaliseOrgName("经济信息委")).toBe("经信委");
    expect(normaliseOrgName("发展和改革委员会")).toBe("发改委");
    expect(normaliseOrgName("人力资源和社会保障局")).toBe("人社局");
    expect(normaliseOrgName("住房和城乡建设委员会")).toBe("住建委");
    expect(normaliseOrgName("规划和自然资源局")).toBe("规资局");
    expect(normaliseOrgName("人民政府办公室")).toBe("人民政府办");
    expect(normaliseOrgName("机关事务中心")).toBe("机关中心");
    expect(normaliseOrgName("万盛经济技术开发区管委会")).toBe("万盛经开区管委会");
  });
});

describe("diceSimilarity", () => {
  it("is 1 only for equal strings and 0 with no bigram in common", () => {
    expect(diceSimilarity("经信局", "经信局")).toBe(1);
    expect(diceSimilarity("经信局", "商务委")).toBe(0);
    expect(diceSimilarity("", "")).toBe(0);
    expect(diceSimilarity("局", "局")).toBe(1);
    expect(diceSimilarity("局", "委")).toBe(0);
    expect(diceSimilarity("", "经信局")).toBe(0);
  });

  it("counts bigrams as a multiset and is symmetric", () => {
    // {经信, 信局} vs {经信, 信委}: one in common of four.
    expect(diceSimilarity("经信局", "经信委")).toBe(0.5);
    expect(diceSimilarity("经信委", "经信局")).toBe(0.5);
    // 「aaa」 has 「aa」 twice; 「aa」 once: 2·1 / (2 + 1).
    expect(diceSimilarity("aaa", "aa")).toBeCloseTo(2 / 3);
    // Characters beyond the BMP count as one character.
    expect(diceSimilarity("𠀋局", "𠀋局")).toBe(1);
    expect(diceSimilarity("𠀋局a", "𠀋局b")).toBe(0.5);
  });

  it("orgNameSimilarity compares normalised names", () => {
    expect(orgNameSimilarity("万盛经开区经济信息局", "重庆市万盛经济技术开发区经济和信息化局", WANSHENG)).toBe(1);
    expect(orgNameSimilarity("万盛经开区经济信息局", "重庆市万盛经济技术开发区经济和信息化局")).toBeLessThan(1);
  });
});

describe("matchOrg", () => {
  const nanan = [
    { id: 1, code: "402", name: "重庆市南岸区经济和信息化委员会" },
    { id: 2, code: "403", name: "重庆市南岸区商务委员会" },
    { id: 3, code: "404", name: "重庆市南岸区中小企业服务中心" },
    { id: 4, code: "405", name: "重庆市南岸区中小企业发展中心" },
  ];

  it("matches by code first, even when the name differs", () => {
    expect(matchOrg({ code: "403", name: "另一个名字" }, nanan, NANAN)).toEqual({ match: nanan[1], how: "code", suggestions: [] });
    expect(matchOrg({ code: " 403 ", name: null }, nanan, NANAN).match).toBe(nanan[1]);
  });

  it("then by the exact name, when the code is missing or unknown", () => {
    expect(matchOrg({ code: "999", name: "重庆市南岸区商务委员会" }, nanan, NANAN)).toEqual({ match: nanan[1], how: "name", suggestions: [] });
    expect(matchOrg({ name: " 重庆市南岸区商务委员会 " }, nanan, NANAN).how).toBe("name");
  });

  it("then by a name equal after normalisation, showing it as the top suggestion", () => {
    const m = matchOrg({ code: null, name: "南岸区经济信息委（本级）" }, nanan, NANAN);
    expect(m.match).toBe(nanan[0]);
    expect(m.how).toBe("same_name");
    expect(m.suggestions[0]).toEqual({ ...nanan[0], score: 1 });
  });

  it("two candidates with the same normalised name match neither: both are suggested", () => {
    const twins = [...nanan, { id: 9, code: "499", name: "南岸区经济和信息化委员会" }];
    const m = matchOrg({ name: "南岸经信委" }, twins, NANAN);
    expect(m.match).toBeNull();
    expect(m.suggestions.slice(0, 2).map((s) => [s.code, s.score])).toEqual([
      ["402", 1],
      ["499", 1],
    ]);
  });

  it("otherwise suggests the closest candidates, best first, ties by code, none below the threshold", () => {
    const m = matchOrg({ code: "499", name: "南岸区中小企业服务局" }, nanan, NANAN);
    expect(m.match).toBeNull();
    expect(m.suggestions.map((s) => s.code)).toEqual(["404", "405"]);
    expect(m.suggestions[0].score).toBeGreaterThan(m.suggestions[1].score);
    expect(m.suggestions.every((s) => s.score >= MIN_SUGGESTION_SCORE && s.score < 1)).toBe(true);
    const tie = matchOrg({ name: "中小企业中心办" }, [nanan[3], nanan[2]], NANAN);
    expect(tie.suggestions.map((s) => s.code)).toEqual(["404", "405"].slice(0, tie.suggestions.length));
    expect(matchOrg({ name: "某某街道办事处" }, nanan, NANAN)).toEqual({ match: null, how: null, suggestions: [] });
  });

  it("offers at most MAX_SUGGESTIONS", () => {
    const many = Array.from({ length: 9 }, (_, i) => ({ id: i + 1, code: `5${i}`, name: `南岸区第${i}中小企业服务中心` }));
    const m = matchOrg({ name: "南岸区中小企业服务中心" }, many, NANAN);
    expect(m.suggestions).toHaveLength(MAX_SUGGESTIONS);
    expect(m.suggestions.map((s) => s.code)).toEqual(["50", "51", "52", "53", "54"]);
  });

  it("a table naming nothing, or nothing to match against, gives nothing", () => {
    expect(matchOrg(null, nanan, NANAN)).toEqual({ match: null, how: null, suggestions: [] });
    expect(matchOrg({ code: null, name: null }, nanan, NANAN)).toEqual({ match: null, how: null, suggestions: [] });
    expect(matchOrg({ code: "", name: "  " }, nanan, NANAN)).toEqual({ match: null, how: null, suggestions: [] });
    expect(matchOrg({ code: "402", name: "x" }, [], NANAN)).toEqual({ match: null, how: null, suggestions: [] });
  });
});

describe("unanimous", () => {
  it("is the one value all non-null entries share, else null", () => {
    expect(unanimous([3, null, 3, undefined])).toBe(3);
    expect(unanimous([3, 4])).toBeNull();
    expect(unanimous([null, undefined])).toBeNull();
    expect(unanimous([])).toBeNull();
  });
});
