//! The review rules, declared exactly once: id, family, the severity of a violation, the
//! basis in `docs/domain.md`, bilingual titles and the reason. Checks cite these statics;
//! `docs/scoring.md` lists them with their basis and a worked example each, and [`ALL`] is
//! what a test keeps that list honest against.
//!
//! The type, the families and the macro are the model's ([`budgetflow_model::rule`]), shared
//! with the validator's catalog: a review finding cites a rule as a validation finding does,
//! and `docs/rules.md` lists both catalogs (a test keeps it generated from them).

pub use budgetflow_model::rule::{Family, Rule, Severity};

budgetflow_model::rules! {
    // ── Structure ───────────────────────────────────────────────────────────────────────
    P_OUTPUT_OUTCOME = "P.output-outcome", Structure, Error, "docs/domain.md#indicator-levels-and-weights; 财预〔2020〕10号",
        "项目须有产出指标和效益指标", "A project has output (产出) and outcome (效益) indicators",
        "财预〔2020〕10号 makes output and outcome the mandatory level-1 indicators of a project.";
    P_SATISFACTION = "P.satisfaction", Structure, Warning, "docs/domain.md#indicator-levels-and-weights",
        "服务对象明确的项目须设满意度指标", "A project that serves people has a satisfaction (满意度) indicator",
        "When a project names those it serves (企业, 居民, 用户 …), their satisfaction is the 10 points of the self-evaluation form.";
    P_COST = "P.cost", Structure, Warning, "docs/domain.md#indicator-levels-and-weights; 财预〔2021〕101号",
        "有资金的项目须设成本指标", "A project with money has a cost (成本) indicator",
        "财预〔2021〕101号 adds 成本指标 as a level-1 indicator; without it the money is not tied to any target.";
    P_WEIGHTS = "P.weights", Structure, Error, "docs/domain.md#indicator-levels-and-weights",
        "指标分值权重合计为90（含预算执行率指标时为100）", "Weights sum to 90 (100 with an execution-rate row)",
        "The other 10 points belong to budget execution, scored at year end; a weightless indicator cannot be scored.";
    P_SCORING_RULE = "P.scoring-rule", Structure, Error, "docs/domain.md#scoring-rules",
        "指标赋分规则为已知规则且适用于指标值", "The scoring rule is known and fits the target",
        "Only 按照完成比例赋分, 直接赋分, 按评判等级赋分 and 满意度赋分 can be scored; the first two and the last need a number, 按评判等级赋分 is for qualitative targets.";
    // ── Measurability ───────────────────────────────────────────────────────────────────
    P_TARGET_VALUE = "P.target-value", Measurability, Error, "docs/domain.md#target-values",
        "指标值可以解析", "Every target value parses",
        "A target that is neither comparator + number + unit nor qualitative text cannot be scored.";
    P_QUANTITATIVE_SHARE = "P.quantitative-share", Measurability, Warning, "docs/domain.md#review-of-targets",
        "定量指标权重占比不低于60%", "Quantitative indicators carry at least 60 % of the weight",
        "Qualitative targets are scored by judgement; when they carry most of the weight the score says little.";
    P_QUALITATIVE_WEIGHT = "P.qualitative-weight", Measurability, Warning, "docs/domain.md#review-of-targets",
        "定性指标分值不宜过大（≥20分）", "A qualitative target does not carry a large weight (≥ 20)",
        "不断提高, 稳步增长, 有效 … cannot be measured; 20 points or more on one of them is a large share of the score left to judgement.";
    // ── Consistency ─────────────────────────────────────────────────────────────────────
    P_COST_CAP = "P.cost-cap", Consistency, Error, "docs/domain.md#review-of-targets",
        "成本指标上限不超过项目资金", "A cost target is not above the project's money",
        "A cost cap (≤ x 万元) above the money the project has cannot be the cost of this project.";
    P_COST_SUM = "P.cost-sum", Consistency, Error, "docs/domain.md#review-of-targets",
        "各成本指标上限之和不超过项目资金", "Cost caps together are not above the project's money",
        "Cost caps split the project's money; together they cannot exceed it (equal is confirmed).";
    P_COUNT_COST = "P.count-cost", Consistency, Error, "docs/domain.md#review-of-targets",
        "数量×单位成本与项目资金一致", "Count × unit cost agrees with the project's money",
        "A count target (=50 家) and a unit cost (=10 万元/家) imply the money (500 万元); more is unexplained, less is not enough.";
    P_FUNDS_T7 = "P.funds-t7", Consistency, Error, "docs/domain.md#target-tables N20",
        "项目资金等于表7项目金额（加说明的合并结转）", "Project money equals its Table 7 amount (plus a documented merged carry-over)",
        "The targets are set for the money the project has; a carry-over may be merged only when 其他重要事项 says so.";
    // ── Ambition ────────────────────────────────────────────────────────────────────────
    P_AMBITION = "P.ambition", Ambition, Warning, "docs/domain.md#review-of-targets",
        "指标值不低于上年完成值", "A target asks for at least last year's achieved value",
        "A target below what was already achieved (above it for a lower-is-better cap) is not ambitious; equal is noted.";
}
