// Typical cases published (曝光典型案例: seed 000 item 15 依法依规及时曝光欺诈骗保典型案例; seed 002 建章立制 利用查处的典型
// 案例开展警示教育; seed 003 §6 the typical cases sent with the year's statistics). A leader chooses a closed case; the
// text is written here from the case's facts only — the institution (public: it is the party sanctioned), the kinds of
// violation found, the articles, the money and the actions — never from free text an inspector typed, so no person is
// named in what is published. Pure.
import { AGENCY_LABELS, type CaseStage, type ReferralAgency } from './case';
import { formatYuan } from './inspection';

/** What the ledger knows of a case that a publication may say. */
export interface TypicalCaseFacts {
  caseId: string;
  caseNo: string;
  year: number;
  campaignId: string | null;
  stage: CaseStage;
  institution: { id: string; name: string; kind: 'hospital' | 'pharmacy' };
  /** The categories and articles of the findings' items (典型问题), in the order found; no descriptions. */
  items: Array<{ category: string; article?: string }>;
  lossFen: number;
  fineFen: number;
  paidFen: number;
  /** Actions taken on the ladder, from the audit trail (suspended, terminated, blacklisted …). */
  actions: string[];
  referrals: ReferralAgency[];
}

export interface TypicalCasePublication {
  title: string;
  publication: string;
}

const ACTION_TEXT: Record<string, string> = {
  interview: '约谈其负责人',
  suspended: '暂停医保服务',
  terminated: '解除医保服务协议',
  blacklisted: '列入医保黑名单',
  'public-criticism': '通报批评',
};

/**
 * Why the case may not be published: only a case the bureau has closed — withdrawn or still open, there is nothing
 * established to publish — and with violations found. Undefined when it may.
 */
export function typicalCaseProblem(facts: Pick<TypicalCaseFacts, 'stage' | 'items' | 'lossFen' | 'fineFen'>): string | undefined {
  if (facts.stage === 'withdrawn') return 'the case was withdrawn: a withdrawn case is never published';
  if (facts.stage !== 'closed') return `the case is not closed (stage ${facts.stage}): only a closed case is published`;
  if (facts.items.length === 0) return 'the case has no findings items to publish';
  return undefined;
}

const unique = <T>(values: readonly T[]): T[] => [...new Set(values)];

/** The title and text of the publication, in the style of the bureaus' 曝光 notices. */
export function typicalCasePublication(facts: TypicalCaseFacts, jurisdictionName: string): TypicalCasePublication {
  const categories = unique(facts.items.map((i) => i.category));
  const articles = unique(facts.items.flatMap((i) => (i.article ? [`第${i.article}条`] : [])));
  const measures = [
    ...(facts.lossFen > 0 ? [`追回医保基金${formatYuan(facts.lossFen)}`] : []),
    ...(facts.fineFen > 0 ? [`处罚款${formatYuan(facts.fineFen)}`] : []),
    ...unique(facts.actions.flatMap((a) => (ACTION_TEXT[a] ? [ACTION_TEXT[a]] : []))),
    ...facts.referrals.map((agency) => `移送${AGENCY_LABELS[agency]}`),
  ];
  const basis = articles.length > 0 ? `依据《医疗保障基金使用监督管理条例》${articles.join('、')}，` : '';
  return {
    title: `${facts.institution.name}${categories.join('、')}案`,
    publication:
      `经查，${facts.institution.name}存在${categories.join('、')}等违法违规使用医保基金问题。` +
      `${jurisdictionName}医疗保障局${basis}${measures.length > 0 ? `${measures.join('，')}。` : '责令其整改到位。'}` +
      `目前，该案已办结（案件编号 ${facts.caseNo}）。`,
  };
}
