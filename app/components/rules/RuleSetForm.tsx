// The rule-set page's edit form (routes/rules.tsx): one section per part of the RuleSet,
// generated from app/domain/rule-set-form.ts, posted with intent "save".
import { Form } from "@remix-run/react";
import { useId } from "react";
import { CHECK_CODES, CHECK_LABELS, DEFAULT_SEVERITIES } from "~/domain/rules";
import {
  GRADES,
  KEYWORD_LISTS,
  KINDS,
  KIND_FIELDS,
  LABELS,
  MATCH_OPTIONS,
  PERIODS,
  SEVERITY_OPTIONS,
  TIERS,
  groupIndices,
  many,
  one,
  parseTaxonomyText,
  type Errors,
  type FormValues,
  type Kind,
  type KeywordList,
} from "~/domain/rule-set-form";
import { OPERATORS } from "~/domain/schemas";
import { Checkbox, CheckboxGroup, ErrorText, GroupErrors, Select, TextInput, errorsAt, fieldId, type FieldCtx } from "./fields";

const KEYWORD_HINTS: Record<KeywordList, string> = {
  rateNames: "计量单位为 % 且名称符合的指标视为比率，指标值超过上限时警告。",
  rateExcludeNames: "增长类比率可以超过 100%，不作上限检查。",
  completionRateNames: "完成、及时类比率的目标低于最低目标时警告。",
};

/** A name list: how names match, and the words (plain text, never a regular expression). */
function KeywordListField({ ctx, list }: { ctx: FieldCtx; list: KeywordList }) {
  const name = `thresholds.${list}.keywords`;
  const id = fieldId(ctx, name);
  const msgs = errorsAt(ctx.errors, name);
  return (
    <div>
      <GroupErrors ctx={ctx} path={`thresholds.${list}`} />
      <div className="form-row">
        <Select ctx={ctx} name={`thresholds.${list}.match`} label={LABELS[`thresholds.${list}.match`]} options={MATCH_OPTIONS} />
      </div>
      <div className="field">
        <label htmlFor={id}>{LABELS[name]}</label>
        <textarea
          id={id}
          name={name}
          rows={2}
          defaultValue={one(ctx.values, name)}
          aria-invalid={msgs.length ? true : undefined}
          aria-describedby={[`${id}-hint`, msgs.length ? `${id}-error` : null].filter(Boolean).join(" ")}
        />
        <span id={`${id}-hint`} className="hint">
          {KEYWORD_HINTS[list]}多个词语用顿号分隔，按普通文字匹配（不支持正则表达式）。
        </span>
        <ErrorText id={`${id}-error`} messages={msgs} />
      </div>
    </div>
  );
}

function KindSection({ ctx, kind }: { ctx: FieldCtx; kind: Kind }) {
  const id = fieldId(ctx, `${kind}.taxonomy`);
  const taxMsgs = errorsAt(ctx.errors, `${kind}.taxonomy`);
  const text = one(ctx.values, `${kind}.taxonomy`);
  const parsed = parseTaxonomyText(text);
  const level1s = new Set([...("value" in parsed ? Object.keys(parsed.value) : []), ...many(ctx.values, `${kind}.requiredLevel1`)]);
  return (
    <fieldset className="card">
      <legend>
        <strong>{KINDS[kind]}</strong>
      </legend>
      <div className="form-row">
        <TextInput ctx={ctx} name={`${kind}.budgetExecutionWeight`} label={KIND_FIELDS.budgetExecutionWeight} hint="指标权重合计须为 100 减此数；0 表示不设" />
        <TextInput ctx={ctx} name={`${kind}.minIndicators`} label={KIND_FIELDS.minIndicators} />
        <TextInput ctx={ctx} name={`${kind}.recommendedMinIndicators`} label={KIND_FIELDS.recommendedMinIndicators} />
      </div>
      <div className="form-row">
        <TextInput ctx={ctx} name={`${kind}.core.minCount`} label={KIND_FIELDS["core.minCount"]} hint="0 表示不要求核心指标" />
        <TextInput ctx={ctx} name={`${kind}.core.minWeightShare`} label={KIND_FIELDS["core.minWeightShare"]} hint="留空表示不要求" />
        <Checkbox ctx={ctx} name={`${kind}.core.allowQualitative`} label={KIND_FIELDS["core.allowQualitative"]} />
      </div>
      <CheckboxGroup
        ctx={ctx}
        name={`${kind}.requiredLevel1`}
        label={KIND_FIELDS.requiredLevel1}
        options={[...level1s].map((l) => ({ value: l, label: l }))}
      />
      <div className="field">
        <label htmlFor={id}>{KIND_FIELDS.taxonomy}</label>
        <textarea
          id={id}
          name={`${kind}.taxonomy`}
          rows={Math.max(4, text.split("\n").length + 1)}
          defaultValue={text}
          aria-invalid={taxMsgs.length ? true : undefined}
          aria-describedby={[`${id}-hint`, taxMsgs.length ? `${id}-error` : null].filter(Boolean).join(" ")}
        />
        <span id={`${id}-hint`} className="hint">
          每行一个一级指标：「一级指标：二级指标、二级指标」。新增的一级指标保存后可设为必备。
        </span>
        <ErrorText id={`${id}-error`} messages={taxMsgs} />
      </div>
    </fieldset>
  );
}

export function RuleSetForm({ year, updatedAt, values, errors }: { year: number; updatedAt: number | null; values: FormValues; errors: Errors }) {
  const uid = useId().replace(/:/g, "");
  const ctx: FieldCtx = { values, errors, uid };
  const rows = groupIndices(values);
  const nextRow = (rows.length ? Math.max(...rows) : -1) + 1;
  const splitRows = [...rows, nextRow, nextRow + 1];
  return (
    <Form method="post" noValidate>
      <input type="hidden" name="intent" value="save" />
      <input type="hidden" name="year" value={year} />
      <input type="hidden" name="updatedAt" value={updatedAt ?? ""} />

      <div className="form-row">
        <TextInput ctx={ctx} name="title" label="名称" wide />
      </div>
      <div className="field">
        <label htmlFor={fieldId(ctx, "description")}>说明</label>
        <textarea id={fieldId(ctx, "description")} name="description" defaultValue={one(values, "description")} />
      </div>

      <KindSection ctx={ctx} kind="project" />
      <KindSection ctx={ctx} kind="department" />

      <fieldset className="card">
        <legend>
          <strong>指标性质与满意度</strong>
        </legend>
        <CheckboxGroup ctx={ctx} name="allowedOperators" label={LABELS.allowedOperators} options={OPERATORS.map((o) => ({ value: o, label: o }))} />
        <div className="form-row">
          <TextInput ctx={ctx} name="satisfaction.maxWeight" label={LABELS["satisfaction.maxWeight"]} hint="满意度指标权重合计超过此数时警告" />
        </div>
      </fieldset>

      <fieldset className="card">
        <legend>
          <strong>一级指标建议权重（自评）</strong>
        </legend>
        <Checkbox ctx={ctx} name="level1Split.enabled" label="启用建议权重（偏差过大时提示）" />
        <GroupErrors ctx={ctx} path="level1Split" />
        <div className="form-row">
          <TextInput ctx={ctx} name="level1Split.tolerance" label="允许偏差（分）" />
        </div>
        <GroupErrors ctx={ctx} path="level1Split.groups" />
        {splitRows.map((i) => (
          <div key={i} className="form-row">
            <TextInput ctx={ctx} name={`level1Split.groups.${i}.level1`} label={`第 ${i + 1} 组 · 一级指标`} hint={i === splitRows[0] ? "多个一级指标用顿号分隔；清空一行即删除该组" : undefined} wide={false} />
            <TextInput ctx={ctx} name={`level1Split.groups.${i}.weight`} label={`第 ${i + 1} 组 · 建议权重（分）`} />
          </div>
        ))}
      </fieldset>

      <fieldset className="card">
        <legend>
          <strong>阈值</strong>
        </legend>
        <div className="form-row">
          <TextInput ctx={ctx} name="thresholds.percentMax" label={LABELS["thresholds.percentMax"]} />
          <TextInput ctx={ctx} name="thresholds.completionRateMin" label={LABELS["thresholds.completionRateMin"]} />
        </div>
        {KEYWORD_LISTS.map((k) => (
          <KeywordListField key={k} ctx={ctx} list={k} />
        ))}
      </fieldset>

      <fieldset className="card">
        <legend>
          <strong>自评计分</strong>
        </legend>
        <div className="form-row">
          <Select
            ctx={ctx}
            name="scoring.equalFormula"
            label={LABELS["scoring.equalFormula"]}
            options={[
              ["proportional", "按偏差比例扣分"],
              ["exact", "完全相等才得分"],
            ]}
          />
          <Select
            ctx={ctx}
            name="scoring.totalOf"
            label={LABELS["scoring.totalOf"]}
            options={[
              ["shownScores", "按显示的得分（两位小数）合计"],
              ["exactScores", "按精确得分合计"],
            ]}
          />
          <TextInput ctx={ctx} name="scoring.overAchievementThreshold" label={LABELS["scoring.overAchievementThreshold"]} />
        </div>
        <h3>定性指标档次（占权重的百分比）</h3>
        {TIERS.map((t) => (
          <div key={t}>
            <GroupErrors ctx={ctx} path={`scoring.qualitativeTiers.${t}`} />
            <div className="form-row">
              <TextInput ctx={ctx} name={`scoring.qualitativeTiers.${t}.min`} label={`${t} · 下限（%）`} />
              <TextInput ctx={ctx} name={`scoring.qualitativeTiers.${t}.max`} label={`${t} · 上限（%）`} />
              <TextInput ctx={ctx} name={`scoring.qualitativeTiers.${t}.default`} label={`${t} · 默认（%）`} />
            </div>
          </div>
        ))}
        <h3>等级分数线</h3>
        <GroupErrors ctx={ctx} path="scoring.grades" />
        <div className="form-row">
          {GRADES.map((g) => (
            <TextInput key={g} ctx={ctx} name={`scoring.grades.${g}`} label={`${g}（不低于）`} />
          ))}
        </div>
        <Checkbox ctx={ctx} name="scoring.explanationBelowFull" label={LABELS["scoring.explanationBelowFull"]} />
      </fieldset>

      <fieldset className="card">
        <legend>
          <strong>监控红黄绿灯</strong>
        </legend>
        <GroupErrors ctx={ctx} path="monitoring.budget" />
        <div className="form-row">
          <TextInput ctx={ctx} name="monitoring.budget.green" label={LABELS["monitoring.budget.green"]} hint="差距 = 序时进度 − 执行率" />
          <TextInput ctx={ctx} name="monitoring.budget.yellow" label={LABELS["monitoring.budget.yellow"]} />
          <TextInput ctx={ctx} name="monitoring.indicatorYellowWithin" label={LABELS["monitoring.indicatorYellowWithin"]} />
          <TextInput
            ctx={ctx}
            name="monitoring.progressMismatchFraction"
            label={LABELS["monitoring.progressMismatchFraction"]}
            hint="累计类定量指标截至本期完成值低于 目标 × 序时进度 × 此比例，而全年预计完成值达到目标时，提示审核人核实（仅提示，不阻止提交）；0 表示关闭"
          />
        </div>
        <CheckboxGroup
          ctx={ctx}
          name="monitoring.periods"
          label={LABELS["monitoring.periods"]}
          options={Object.entries(PERIODS).map(([value, label]) => ({ value, label }))}
        />
      </fieldset>

      <fieldset className="card">
        <legend>
          <strong>检查项严重程度</strong>
        </legend>
        <GroupErrors ctx={ctx} path="severities" />
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th>检查项</th>
                <th>代码</th>
                <th>严重程度</th>
              </tr>
            </thead>
            <tbody>
              {CHECK_CODES.map((code) => {
                const name = `severities.${code}`;
                const id = fieldId(ctx, name);
                const msgs = errorsAt(errors, name);
                return (
                  <tr key={code}>
                    <td>
                      <label htmlFor={id}>{CHECK_LABELS[code]}</label>
                    </td>
                    <td className="muted">{code}</td>
                    <td>
                      <select
                        id={id}
                        name={name}
                        defaultValue={one(values, name) || DEFAULT_SEVERITIES[code]}
                        aria-invalid={msgs.length ? true : undefined}
                        aria-describedby={msgs.length ? `${id}-error` : undefined}
                      >
                        {SEVERITY_OPTIONS.map(([value, text]) => (
                          <option key={value} value={value}>
                            {text}
                            {value === DEFAULT_SEVERITIES[code] ? "（默认）" : ""}
                          </option>
                        ))}
                      </select>
                      <ErrorText id={`${id}-error`} messages={msgs} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </fieldset>

      <div className="actions">
        <button type="submit" className="btn btn-primary">
          保存规则集
        </button>
        <span className="muted">保存后立即生效；已批复的绩效目标表不受影响。</span>
      </div>
    </Form>
  );
}
