<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>CalendarTab</name>
    <message>
        <source>given</source>
        <translation>已给药</translation>
    </message>
    <message>
        <source>held</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>modified</source>
        <translation>已调整</translation>
    </message>
    <message>
        <source>RT {fraction}/{total}</source>
        <extracomment>The :class:`DayCell` of a grid index.</extracomment>
        <translation>放疗 {fraction}/{total}</translation>
    </message>
    <message>
        <source>check</source>
        <translation>检查</translation>
    </message>
    <message>
        <source>check: {note}</source>
        <translation>检查：{note}</translation>
    </message>
    <message>
        <source>local intervention</source>
        <translation>局部治疗</translation>
    </message>
    <message>
        <source>C{cycle} D{day} {drugs}</source>
        <translation>第{cycle}周期 第{day}天 {drugs}</translation>
    </message>
    <message>
        <source>moved from {date}</source>
        <translation>由{date}调整</translation>
    </message>
    <message>
        <source>closed: {reason}</source>
        <translation>停诊：{reason}</translation>
    </message>
    <message>
        <source>working day (adjusted)</source>
        <translation>调休工作日</translation>
    </message>
    <message>
        <source>weekend</source>
        <translation>周末</translation>
    </message>
    <message>
        <source>{phase} cycle {cycle} day {day}</source>
        <translation>{phase} 第{cycle}周期 第{day}天</translation>
    </message>
    <message>
        <source>{phase}: radiotherapy fraction {fraction} of {total}</source>
        <translation>{phase}：放疗第{fraction}次（共{total}次）</translation>
    </message>
    <message>
        <source> — moved from {date}</source>
        <translation> — 由{date}调整至此</translation>
    </message>
    <message>
        <source>Clinic closed: {reason}</source>
        <translation>门诊停诊：{reason}</translation>
    </message>
    <message>
        <source> · today</source>
        <translation> · 今天</translation>
    </message>
    <message>
        <source>Not saved: {reason}</source>
        <translation>未保存：{reason}</translation>
    </message>
    <message>
        <source>Delay cycle</source>
        <translation>推迟周期</translation>
    </message>
    <message>
        <source> days</source>
        <translation> 天</translation>
    </message>
    <message>
        <source>why, e.g. grade 3 neutropenia</source>
        <translation>原因，如 3级中性粒细胞减少</translation>
    </message>
    <message>
        <source>Phase</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>Cycle</source>
        <translation>周期</translation>
    </message>
    <message>
        <source>Delay by</source>
        <translation>推迟天数</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Later cycles keep their spacing from the delayed one.</source>
        <translation>之后的周期与推迟的周期保持原有间隔。</translation>
    </message>
    <message>
        <source>Record given / held</source>
        <translation>记录给药 / 暂停</translation>
    </message>
    <message>
        <source>the dose actually given, e.g. 200 mg</source>
        <translation>实际给药剂量，如 200 mg</translation>
    </message>
    <message>
        <source>e.g. 1.72 m²</source>
        <translation>如 1.72 m²</translation>
    </message>
    <message>
        <source>ddd dd MMM yyyy</source>
        <translation>yyyy年M月d日 dddd</translation>
    </message>
    <message>
        <source>required for a modified dose: what changed and why</source>
        <translation>调整剂量时必填：调整了什么及原因</translation>
    </message>
    <message>
        <source>Drug</source>
        <translation>药物</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Dose</source>
        <translation>剂量</translation>
    </message>
    <message>
        <source>BSA</source>
        <translation>体表面积</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Previous month</source>
        <extracomment>Whose public holidays close the clinic (later a site setting).</extracomment>
        <translation>上个月</translation>
    </message>
    <message>
        <source>Page Up</source>
        <translation>Page Up</translation>
    </message>
    <message>
        <source>Next month</source>
        <translation>下个月</translation>
    </message>
    <message>
        <source>Page Down</source>
        <translation>Page Down</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>Jump to the first month of a phase</source>
        <translation>跳转到某阶段的第一个月</translation>
    </message>
    <message>
        <source>Phase:</source>
        <translation>阶段：</translation>
    </message>
    <message>
        <source>What Print shows: the whole plan, the month shown, or the phase chosen</source>
        <translation>打印范围：整个方案、当前月份或所选阶段</translation>
    </message>
    <message>
        <source>Whole plan</source>
        <translation>整个方案</translation>
    </message>
    <message>
        <source>Month shown</source>
        <translation>当前月份</translation>
    </message>
    <message>
        <source>Phase chosen</source>
        <translation>所选阶段</translation>
    </message>
    <message>
        <source>&amp;Print calendar…</source>
        <translation>打印日历(&amp;P)…</translation>
    </message>
    <message>
        <source>Print preview of the nurse&apos;s calendar (Ctrl+P)</source>
        <translation>护士用治疗日历的打印预览（Ctrl+P）</translation>
    </message>
    <message>
        <source>Delay cycle…</source>
        <translation>推迟周期…</translation>
    </message>
    <message>
        <source>Record given / held…</source>
        <translation>记录给药 / 暂停…</translation>
    </message>
    <message>
        <source>Plan notes (moved days, delays, checks):</source>
        <translation>方案备注（调整日期、推迟、检查）：</translation>
    </message>
    <message>
        <source>No patient selected</source>
        <translation>未选择患者</translation>
    </message>
    <message>
        <source>No treatment plan yet</source>
        <translation>尚无治疗方案</translation>
    </message>
    <message>
        <source>The plan ({regimen} {version}) cannot be shown: {reason}</source>
        <translation>无法显示方案（{regimen} {version}）：{reason}</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>not scheduled</source>
        <translation>未排期</translation>
    </message>
    <message>
        <source> · {count} cycles planned</source>
        <translation> · 计划{count}个周期</translation>
    </message>
    <message>
        <source>{regimen} v{version} · plan {plan} from {start} · {choices} · closures: {closures}</source>
        <translation>{regimen} v{version} · 方案 {plan}，自{start}起 · {choices} · 停诊日历：{closures}</translation>
    </message>
    <message>
        <source>{phase} (from {month})</source>
        <translation>{phase}（自{month}起）</translation>
    </message>
    <message>
        <source>Select a day.</source>
        <translation>请选择日期。</translation>
    </message>
    <message>
        <source>• nothing planned</source>
        <translation>• 无计划安排</translation>
    </message>
    <message>
        <source>a delay of 0 days changes nothing; enter the days to delay (negative: bring forward)</source>
        <translation>推迟 0 天不会改变任何安排；请输入推迟天数（负数表示提前）</translation>
    </message>
    <message>
        <source>{phase} cycle {cycle} delayed by {days} days</source>
        <translation>{phase} 第{cycle}周期已推迟{days}天</translation>
    </message>
    <message>
        <source>{phase} cycle {cycle} brought forward by {days} days</source>
        <translation>{phase} 第{cycle}周期已提前{days}天</translation>
    </message>
    <message>
        <source>{drug} — {phase} cycle {cycle} day {day}</source>
        <translation>{drug} — {phase} 第{cycle}周期 第{day}天</translation>
    </message>
    <message>
        <source>No height and weight recorded: enter the BSA the dose was based on (for mg/m² totals).</source>
        <translation>未记录身高和体重：请输入计算该剂量所用的体表面积（用于 mg/m² 累积量）。</translation>
    </message>
    <message>
        <source>BSA not calculated: {error}</source>
        <translation>未计算体表面积：{error}</translation>
    </message>
    <message>
        <source>{formula} from height {height} ({height_date}) and weight {weight} ({weight_date}); use the BSA the dose was based on</source>
        <translation>按 {formula}，由身高 {height}（{height_date}）和体重 {weight}（{weight_date}）计算；请使用计算该剂量所用的体表面积</translation>
    </message>
    <message>
        <source>{drug} {status} on {date} recorded</source>
        <translation>已记录：{drug} {status}（{date}）</translation>
    </message>
    <message>
        <source>refused</source>
        <translation>被拒绝</translation>
    </message>
</context>
<context>
    <name>CoreError</name>
    <message>
        <source>{field}: refused</source>
        <translation>{field}：被拒绝</translation>
    </message>
    <message>
        <source>{field}: {value} cannot be used</source>
        <translation>{field}：{value} 无法使用</translation>
    </message>
    <message>
        <source>{field}: the dosing policy {value} is not allowed</source>
        <translation>{field}：不允许使用剂量规则 {value}</translation>
    </message>
    <message>
        <source>{field}: a value is required</source>
        <translation>{field}：必须填写</translation>
    </message>
    <message>
        <source>{field}: {value} is not recognised</source>
        <translation>{field}：无法识别 {value}</translation>
    </message>
    <message>
        <source>{field}: {value} is not a number</source>
        <translation>{field}：{value} 不是数字</translation>
    </message>
    <message>
        <source>{field}: {value} is not a finite number</source>
        <translation>{field}：{value} 不是有限数值</translation>
    </message>
    <message>
        <source>{field}: {value} must be greater than zero</source>
        <translation>{field}：{value} 必须大于零</translation>
    </message>
    <message>
        <source>{field}: {value} cannot be negative</source>
        <translation>{field}：{value} 不能为负数</translation>
    </message>
    <message>
        <source>{field}: {value} contains a comma; write decimals with a point</source>
        <translation>{field}：{value} 含有逗号；小数请使用小数点</translation>
    </message>
    <message>
        <source>{field}: {value} is outside the plausible range</source>
        <translation>{field}：{value} 超出合理范围</translation>
    </message>
    <message>
        <source>{field}: {value} is implausible; was the unit mistyped?</source>
        <translation>{field}：{value} 不合理；单位是否输错？</translation>
    </message>
    <message>
        <source>{field}: {value} has an unusable unit</source>
        <translation>{field}：{value} 的单位无法使用</translation>
    </message>
    <message>
        <source>{field}: {value} has no unit</source>
        <translation>{field}：{value} 缺少单位</translation>
    </message>
    <message>
        <source>{field}: the unit of {value} is unknown</source>
        <translation>{field}：{value} 的单位无法识别</translation>
    </message>
    <message>
        <source>{field}: {value} has the wrong unit</source>
        <translation>{field}：{value} 的单位不正确</translation>
    </message>
    <message>
        <source>{field}: {value} is the wrong kind of quantity</source>
        <translation>{field}：{value} 的量纲不正确</translation>
    </message>
    <message>
        <source>{field}: {value} is a volume, not a rate</source>
        <translation>{field}：{value} 是体积，不是速度</translation>
    </message>
    <message>
        <source>{field}: {value} is not a rate per hour; give mL/h</source>
        <translation>{field}：{value} 不是每小时速度，请以 mL/h 输入</translation>
    </message>
    <message>
        <source>{field}: {value} is not a diluent this product allows</source>
        <translation>{field}：{value} 不是本品允许的溶媒</translation>
    </message>
    <message>
        <source>{field}: the catalogue gives no volume for {value}</source>
        <translation>{field}：药品目录未给出 {value} 的体积</translation>
    </message>
    <message>
        <source>{field}: {value} is a dose per m² or per kg, not the final dose</source>
        <translation>{field}：{value} 是按 m² 或按 kg 的剂量，不是最终剂量</translation>
    </message>
    <message>
        <source>{field}: {value} is in an imperial unit; use metric units</source>
        <translation>{field}：{value} 使用了英制单位；请使用公制单位</translation>
    </message>
    <message>
        <source>{field}: {value} uses a unit that is not allowed</source>
        <translation>{field}：{value} 使用了不允许的单位</translation>
    </message>
    <message>
        <source>{field}: {value} is indexed to 1.73 m²; Calvert needs mL/min, not mL/min/1.73 m²</source>
        <translation>{field}：{value} 已按 1.73 m² 标准化；Calvert 公式需要 mL/min，而非 mL/min/1.73 m²</translation>
    </message>
    <message>
        <source>{field}: you are not allowed to do this</source>
        <translation>{field}：您没有执行此操作的权限</translation>
    </message>
    <message>
        <source>{field}: verification refused</source>
        <translation>{field}：审核被拒绝</translation>
    </message>
    <message>
        <source>{field}: the audit trail is broken</source>
        <translation>{field}：审计记录已损坏</translation>
    </message>
    <message>
        <source>{field}: the record store refused</source>
        <translation>{field}：记录库拒绝了此操作</translation>
    </message>
    <message>
        <source>{field}: someone else changed this record; reopen it and try again</source>
        <translation>{field}：此记录已被他人修改；请重新打开后再试</translation>
    </message>
    <message>
        <source>{field}: the record store is read-only</source>
        <translation>{field}：记录库为只读</translation>
    </message>
    <message>
        <source>{field}: the user name or password is wrong</source>
        <translation>{field}：用户名或密码错误</translation>
    </message>
    <message>
        <source> ({detail})</source>
        <extracomment>Codes whose template says all the core&apos;s English line says (no English detail after them).</extracomment>
        <translation>（{detail}）</translation>
    </message>
</context>
<context>
    <name>CoreField</name>
    <message>
        <source>height</source>
        <extracomment>Field names people meet in the workstation&apos;s forms (others are shown as the core names them).</extracomment>
        <translation>身高</translation>
    </message>
    <message>
        <source>weight</source>
        <translation>体重</translation>
    </message>
    <message>
        <source>reference weight</source>
        <translation>参考体重</translation>
    </message>
    <message>
        <source>creatinine</source>
        <translation>血肌酐</translation>
    </message>
    <message>
        <source>BSA</source>
        <translation>体表面积</translation>
    </message>
    <message>
        <source>dose</source>
        <translation>剂量</translation>
    </message>
    <message>
        <source>age</source>
        <translation>年龄</translation>
    </message>
    <message>
        <source>sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>hospital number</source>
        <translation>住院号</translation>
    </message>
    <message>
        <source>date of birth</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <source>allergies</source>
        <translation>过敏史</translation>
    </message>
    <message>
        <source>diagnosis</source>
        <translation>诊断</translation>
    </message>
    <message>
        <source>language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>user name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>user</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>measurement date</source>
        <translation>测量日期</translation>
    </message>
    <message>
        <source>kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>value</source>
        <translation>数值</translation>
    </message>
    <message>
        <source>source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>cycle</source>
        <translation>周期</translation>
    </message>
    <message>
        <source>phase</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>fractions</source>
        <translation>分次</translation>
    </message>
    <message>
        <source>AUC</source>
        <translation>AUC</translation>
    </message>
    <message>
        <source>GFR</source>
        <translation>GFR</translation>
    </message>
    <message>
        <source>plan</source>
        <translation>方案</translation>
    </message>
    <message>
        <source>order</source>
        <translation>医嘱</translation>
    </message>
    <message>
        <source>patient</source>
        <translation>患者</translation>
    </message>
    <message>
        <source>demonstration</source>
        <translation>演示</translation>
    </message>
    <message>
        <source>ANC</source>
        <translation>中性粒细胞绝对计数</translation>
    </message>
    <message>
        <source>platelets</source>
        <translation>血小板</translation>
    </message>
    <message>
        <source>haemoglobin</source>
        <translation>血红蛋白</translation>
    </message>
    <message>
        <source>bilirubin</source>
        <translation>胆红素</translation>
    </message>
    <message>
        <source>AST</source>
        <translation>AST</translation>
    </message>
    <message>
        <source>ALT</source>
        <translation>ALT</translation>
    </message>
</context>
<context>
    <name>CoreFlag</name>
    <message>
        <source>BSA {bsa:2} m² is above {threshold:2} m²; check the obesity / BSA-cap policy of the protocol</source>
        <extracomment>code (``*`` for the part a code takes from its kind; ``#variant`` for another form of the sentence) → template. The English here is the shape of the core&apos;s sentence, for translators; English shows the core&apos;s.</extracomment>
        <translation>体表面积 {bsa:2} m² 高于 {threshold:2} m²；请核对方案中关于肥胖患者及体表面积封顶的规定</translation>
    </message>
    <message>
        <source>BSA {bsa:2} m² capped at {cap:2} m²; ASCO 2021 recommends full weight-based dosing</source>
        <translation>体表面积 {bsa:2} m² 已封顶为 {cap:2} m²；ASCO 2021 建议按实际体重足量给药</translation>
    </message>
    <message>
        <source>no GFR cap: FDA (2010) advises capping an estimated GFR at 125 mL/min</source>
        <translation>未设 GFR 上限：FDA（2010）建议估算 GFR 以 125 mL/min 为上限</translation>
    </message>
    <message>
        <source>no GFR cap: FDA (2010) advises capping an estimated GFR at 125 mL/min; a measured GFR needs no cap</source>
        <translation>未设 GFR 上限：FDA（2010）建议估算 GFR 以 125 mL/min 为上限；实测 GFR 无需设上限</translation>
    </message>
    <message>
        <source>the GFR was given directly; if it was measured (EDTA, 24-hour urine) the cap may be removed with --gfr-cap none and a documented reason</source>
        <translation>GFR 为直接录入；如为实测值（EDTA、24 小时尿），可使用 --gfr-cap none 并记录理由取消上限</translation>
    </message>
    <message>
        <source>target AUC {auc} is above {threshold}; NCCN suggests a measured GFR for high AUC</source>
        <translation>目标 AUC {auc} 高于 {threshold}；NCCN 建议高 AUC 时采用实测 GFR</translation>
    </message>
    <message>
        <source>GFR {gfr:1} mL/min capped at {cap:1} mL/min</source>
        <translation>GFR {gfr:1} mL/min 已封顶为 {cap:1} mL/min</translation>
    </message>
    <message>
        <source>weight is {source}, not measured; ISMP advises measured weight for dosing</source>
        <translation>体重为{source}值，非实测；ISMP 建议按实测体重计算剂量</translation>
    </message>
    <message>
        <source>{field} is {source}, not measured; ISMP advises measured values for dosing</source>
        <translation>{field}为{source}值，非实测；ISMP 建议按实测值计算剂量</translation>
    </message>
    <message>
        <source>dose is {percent:2} % of the protocol dose: an increase needs the prescriber&apos;s documented reason</source>
        <translation>剂量为方案剂量的 {percent:2} %：加量须有处方医生记录的理由</translation>
    </message>
    <message>
        <source>{drug}: prescribed {prescribed_mg:2} mg is {difference:2} % above the recomputed {recomputed_mg:2} mg (tolerance {tolerance_percent:2} %); a dose above protocol needs the prescriber&apos;s documented reason</source>
        <translation>{drug}：处方 {prescribed_mg:2} mg 比重新计算的 {recomputed_mg:2} mg 高 {difference:2} %（允许偏差 {tolerance_percent:2} %）；高于方案的剂量须有处方医生记录的理由</translation>
    </message>
    <message>
        <source>{drug}: prescribed {prescribed_mg:2} mg is {difference:2} % above the recomputed {recomputed_mg:2} mg (tolerance {tolerance_percent:2} %); reason given: {reason}</source>
        <translation>{drug}：处方 {prescribed_mg:2} mg 比重新计算的 {recomputed_mg:2} mg 高 {difference:2} %（允许偏差 {tolerance_percent:2} %）；已给理由：{reason}</translation>
    </message>
    <message>
        <source>{drug}: prescribed {prescribed_mg:2} mg is {difference:2} % below the recomputed {recomputed_mg:2} mg (tolerance {tolerance_percent:2} %); check for a dose reduction not in the order</source>
        <translation>{drug}：处方 {prescribed_mg:2} mg 比重新计算的 {recomputed_mg:2} mg 低 {difference:2} %（允许偏差 {tolerance_percent:2} %）；请核查是否有医嘱未写明的减量</translation>
    </message>
    <message>
        <source>{drug}: prescribed {prescribed_mg:2} mg is {difference:2} % below the recomputed {recomputed_mg:2} mg (tolerance {tolerance_percent:2} %); reason given: {reason}</source>
        <translation>{drug}：处方 {prescribed_mg:2} mg 比重新计算的 {recomputed_mg:2} mg 低 {difference:2} %（允许偏差 {tolerance_percent:2} %）；已给理由：{reason}</translation>
    </message>
    <message>
        <source>{drug}: prescribed {prescribed_mg:2} mg matches the per-cycle total {per_cycle_mg:2} mg ({days} days × {recomputed_mg:2} mg), not the dose per day; check the order</source>
        <translation>{drug}：处方 {prescribed_mg:2} mg 与每周期总量 {per_cycle_mg:2} mg（{days} 天 × {recomputed_mg:2} mg）相符，而非每日剂量；请核对医嘱</translation>
    </message>
    <message>
        <source>{drug}: {prescribed_mg:2} mg is prescribed, but {regimen} phase {phase}, cycle {cycle} with choices {choices} has no line of this drug</source>
        <translation>{drug}：处方 {prescribed_mg:2} mg，但方案 {regimen} 阶段 {phase} 第 {cycle} 周期（选择 {choices}）中没有该药</translation>
    </message>
    <message>
        <source>{drug}: {dose} is above the maximum single dose {max} ({source})</source>
        <translation>{drug}：{dose} 高于单次最大剂量 {max}（{source}）</translation>
    </message>
    <message>
        <source>exact dose kept: rounding to {candidate:3} mg would deviate {deviation:2} %, beyond {max_deviation:2} %</source>
        <translation>保留精确剂量：取整至 {candidate:3} mg 将偏差 {deviation:2} %，超过允许的 {max_deviation:2} %</translation>
    </message>
    <message>
        <source>exact dose kept: it is smaller than half the {step:3} mg step</source>
        <translation>保留精确剂量：剂量小于取整步长 {step:3} mg 的一半</translation>
    </message>
    <message>
        <source>{drug}: rounding to the vial step would exceed the maximum deviation; the exact dose is kept</source>
        <translation>{drug}：按药瓶规格取整将超过最大允许偏差；保留精确剂量</translation>
    </message>
    <message>
        <source>no {kind} is recorded on or before {date:date}; record one, or override with a reason</source>
        <translation>{date:date}及之前没有{kind}记录；请录入，或填写理由后越过</translation>
    </message>
    <message>
        <source>{kind} measured on {measured_on:date} is {age_days} days old on {date:date}; the window is {window_days} days — measure again, or override with a reason</source>
        <translation>{kind}测于{measured_on:date}，至{date:date}已 {age_days} 天；有效期为 {window_days} 天——请重新测量，或填写理由后越过</translation>
    </message>
    <message>
        <source>no day-1 {kind} is recorded (go criterion {rule}); record it, or override with a reason</source>
        <translation>没有第 1 天的{kind}记录（给药标准 {rule}）；请录入，或填写理由后越过</translation>
    </message>
    <message>
        <source>{kind} {value} {unit} fails the day-1 go criterion {rule}: the cycle waits, or override with a reason</source>
        <translation>{kind} {value} {unit} 未达到第 1 天给药标准 {rule}：本周期暂缓，或填写理由后越过</translation>
    </message>
    <message>
        <source>weight {weight:1} differs by {change_percent:1} % from the reference weight {reference:1}; recalculate and confirm the doses</source>
        <translation>体重 {weight:1} 与参考体重 {reference:1} 相差 {change_percent:1} %；请重新计算并确认剂量</translation>
    </message>
    <message>
        <source>weight {current_kg:1} kg is {change_percent:1} % from the reference {reference_kg:1} kg (threshold {threshold_percent:1} %): recalculate the doses or confirm the weight</source>
        <translation>体重 {current_kg:1} kg 与参考体重 {reference_kg:1} kg 相差 {change_percent:1} %（阈值 {threshold_percent:1} %）：请重新计算剂量或确认体重</translation>
    </message>
    <message>
        <source>{elapsed_months} months {elapsed_days} days since the first PD-1 dose on {first_dose:date}: the bound of {months} months ended on {stop_date:date} ({source})</source>
        <translation>自 {first_dose:date} 首剂 PD-1 起已 {elapsed_months} 个月 {elapsed_days} 天：{months} 个月的疗程上限已于 {stop_date:date} 届满（{source}）</translation>
    </message>
    <message>
        <source>{elapsed_months} months {elapsed_days} days since the first PD-1 dose on {first_dose:date}: the bound of {months} months ends on {stop_date:date} ({source})</source>
        <translation>自 {first_dose:date} 首剂 PD-1 起已 {elapsed_months} 个月 {elapsed_days} 天：{months} 个月的疗程上限将于 {stop_date:date} 届满（{source}）</translation>
    </message>
    <message>
        <source>{cycles_given} PD-1 cycles given since the first PD-1 dose on {first_dose:date}: the bound is {max_cycles} cycles ({source})</source>
        <translation>自 {first_dose:date} 首剂 PD-1 起已给药 {cycles_given} 个周期：已达上限 {max_cycles} 个周期（{source}）</translation>
    </message>
    <message>
        <source>{cycles_given} PD-1 cycles given since the first PD-1 dose on {first_dose:date}, near the bound of {max_cycles} cycles ({source})</source>
        <translation>自 {first_dose:date} 首剂 PD-1 起已给药 {cycles_given} 个周期，接近上限 {max_cycles} 个周期（{source}）</translation>
    </message>
    <message>
        <source>PD-1 treatment declared before: {declared} — the bound counts from the first dose recorded here; check the date of the first PD-1 dose</source>
        <translation>既往已申报 PD-1 治疗：{declared}——疗程上限从本系统记录的首剂起计算；请核对首剂 PD-1 的日期</translation>
    </message>
    <message>
        <source>{site}: no α/β is set for this site; the default {alpha_beta:2} Gy is used</source>
        <translation>{site}：该部位未设定 α/β；采用默认值 {alpha_beta:2} Gy</translation>
    </message>
    <message>
        <source>{site}: no α/β is set for this site, so BED and EQD2 are not shown</source>
        <translation>{site}：该部位未设定 α/β，因此不显示 BED 和 EQD2</translation>
    </message>
    <message>
        <source>{site} course {course}: {total_gy} Gy in {fractions} fractions is not a course; it is left out of the sums</source>
        <translation>{site} 第 {course} 程放疗：{total_gy} Gy 分 {fractions} 次不是有效疗程；不计入合计</translation>
    </message>
    <message>
        <source>course {course}: {per_fraction:2} Gy per fraction; the linear-quadratic model is less reliable for large doses per fraction</source>
        <translation>第 {course} 程放疗：分次剂量 {per_fraction:2} Gy；分次剂量大时线性二次模型的可靠性较低</translation>
    </message>
    <message>
        <source>{site} course {course}: {per_fraction:2} Gy per fraction; the linear-quadratic model is less reliable for large doses per fraction</source>
        <translation>{site} 第 {course} 程放疗：分次剂量 {per_fraction:2} Gy；分次剂量大时线性二次模型的可靠性较低</translation>
    </message>
    <message>
        <source>{site}: {text}</source>
        <translation>{site}：{text}</translation>
    </message>
    <message>
        <source>{phase}: {lost} radiotherapy day(s) lost to closures ({dates:dates}); the course ends later</source>
        <translation>{phase}：{lost} 个放疗日因停诊取消（{dates:dates}）；放疗结束日相应推后</translation>
    </message>
    <message>
        <source>{label} is not in the drug catalogue: no cumulative limit is known</source>
        <translation>{label} 不在药品目录中：无已知的累积剂量上限</translation>
    </message>
    <message>
        <source>{label}: {count} administration(s) without a recorded BSA cannot count in {unit_text} ({doses}); record the BSA of each administration — the total is not guessed</source>
        <translation>{label}：{count} 次给药未记录体表面积，无法以 {unit_text} 计入（{doses}）；请记录每次给药的体表面积——累积剂量不作推测</translation>
    </message>
    <message>
        <source>{label}: not counted in {unit_text}: {text}</source>
        <translation>{label}：未计入 {unit_text} 累积剂量：{text}</translation>
    </message>
    <message>
        <source>{label}: not counted: {text}</source>
        <translation>{label}：未计入：{text}</translation>
    </message>
    <message>
        <source>{label}: planned doses without a dose in {unit_text}: {text}</source>
        <translation>{label}：以下计划给药没有 {unit_text} 剂量：{text}</translation>
    </message>
    <message>
        <source>BMI {bmi:1} kg/m² is outside {range}; confirm height and weight and the weight policy</source>
        <translation>BMI {bmi:1} kg/m² 超出 {range}；请确认身高、体重及体重取值规则</translation>
    </message>
    <message>
        <source>age {age} years is above {threshold}; check organ function and dosing policy</source>
        <translation>年龄 {age} 岁，高于 {threshold} 岁；请评估脏器功能并核对给药规则</translation>
    </message>
    <message>
        <source>height {height_cm:1} cm is unusual; confirm it was measured</source>
        <translation>身高 {height_cm:1} cm 不常见；请确认为实测值</translation>
    </message>
    <message>
        <source>weight {weight_kg:1} kg is unusual; confirm it was measured</source>
        <translation>体重 {weight_kg:1} kg 不常见；请确认为实测值</translation>
    </message>
    <message>
        <source>creatinine {creatinine_mg_dl:2} mg/dL is outside {range}; estimated clearance is unreliable there</source>
        <translation>血肌酐 {creatinine_mg_dl:2} mg/dL 超出 {range}；此范围内估算的肌酐清除率不可靠</translation>
    </message>
    <message>
        <source>creatinine {measured:2} mg/dL raised to the floor of {floor:2} mg/dL</source>
        <translation>血肌酐 {measured:2} mg/dL 已按下限提高至 {floor:2} mg/dL</translation>
    </message>
    <message>
        <source>eGFR is per 1.73 m² and cannot be used for dosing as it stands; give height and weight to de-index it with the patient&apos;s BSA</source>
        <translation>eGFR 以每 1.73 m² 表示，不能直接用于计算剂量；请录入身高和体重，按患者体表面积换算为非标化值</translation>
    </message>
    <message>
        <source>height {height_cm:1} cm is under 152.4 cm (60 in): Devine ideal weight is extrapolated and may be unreliable</source>
        <translation>身高 {height_cm:1} cm 低于 152.4 cm（60 英寸）：Devine 理想体重为外推值，可能不可靠</translation>
    </message>
    <message>
        <source>actual weight is below ideal weight, so the adjusted weight is below ideal too; consider the actual weight basis</source>
        <translation>实际体重低于理想体重，校正体重也低于理想体重；请考虑按实际体重计算</translation>
    </message>
    <message>
        <source>rate × duration = {rate:2} × {duration:2} = {infused:1}, but the bag or device holds {volume:1} ({difference_percent:1} % apart; at most {tolerance_percent} %): do not run it</source>
        <translation>输注速度 × 输注时长 = {rate:2} × {duration:2} = {infused:1}，但输液袋或输注装置容量为 {volume:1}（相差 {difference_percent:1} %；最多允许 {tolerance_percent} %）：不得输注</translation>
    </message>
    <message>
        <source>{drug} is taken by mouth: dispensed, nothing to prepare</source>
        <translation>{drug} 为口服药：直接发药，无需配制</translation>
    </message>
    <message>
        <source>{drug}: no vial strength configured; the site formulary must add one</source>
        <translation>{drug}：未设定药瓶规格；须由本院处方集添加</translation>
    </message>
    <message>
        <source>{drug}: no preparation data (diluent, concentration range, duration) in the catalogue</source>
        <translation>{drug}：药品目录中没有配制数据（溶媒、浓度范围、输注时长）</translation>
    </message>
    <message>
        <source>{drug} must not be diluted in {diluent}; allowed: {allowed}</source>
        <translation>{drug} 不得用{diluent}稀释；可用：{allowed}</translation>
    </message>
    <message>
        <source>{drug} must not be diluted in {diluent} ({note}); allowed: {allowed}</source>
        <translation>{drug} 不得用{diluent}稀释（{note}）；可用：{allowed}</translation>
    </message>
    <message>
        <source>{drug}: no infusion duration in the regimen line or the catalogue; give one</source>
        <translation>{drug}：方案和药品目录中均没有输注时长；请填写</translation>
    </message>
    <message>
        <source>{drug}: the infusion ({duration}) lasts longer than the prepared product keeps ({use_within}, {storage}); split it</source>
        <translation>{drug}：输注时长（{duration}）超过配制后药液的稳定时间（{use_within}，{storage}）；请分次配制</translation>
    </message>
    <message>
        <source>{drug}: no use-within time after preparation in the catalogue; the label shows none</source>
        <translation>{drug}：药品目录中没有配制后的使用时限；标签上不显示</translation>
    </message>
    <message>
        <source>{drug}: not confirmed against the product label: {groups}</source>
        <translation>{drug}：以下内容尚未与药品说明书核对：{groups}</translation>
    </message>
    <message>
        <source>{kept:2} remain in an opened multi-dose vial: label it and keep it only within its in-use time</source>
        <translation>已开启的多剂量药瓶中剩余 {kept:2}：请贴标签，仅在开启后的使用时限内保存</translation>
    </message>
    <message>
        <source>{drug}: the drug volume {drawn:1} is more than the device holds ({device:1}); choose a faster device</source>
        <translation>{drug}：药液体积 {drawn:1} 超过输注装置容量（{device:1}）；请选择流速更快的装置</translation>
    </message>
    <message>
        <source>{drug}: none of the site&apos;s pumps holds the dose in range; give the diluent or the pump rate</source>
        <translation>{drug}：本院没有能使终浓度保持在稳定范围内的输注泵；请填写溶媒或泵速</translation>
    </message>
    <message>
        <source>{drug}: no stable final-concentration range in the catalogue; the concentration {concentration:3} cannot be checked</source>
        <translation>{drug}：药品目录中没有稳定的终浓度范围；无法核对浓度 {concentration:3}</translation>
    </message>
    <message>
        <source>{drug}: final concentration {concentration:3} is {where} the stable range {low:3}–{high:3}; bags that fit: {fitting}</source>
        <translation>{drug}：终浓度 {concentration:3} {where}稳定范围 {low:3}–{high:3}；适合的输液袋：{fitting}</translation>
    </message>
    <message>
        <source>{drug}: final concentration {concentration:3} is {where} the stable range {low:3}–{high:3}; no site bag size fits: split the dose or change the diluent volume</source>
        <translation>{drug}：终浓度 {concentration:3} {where}稳定范围 {low:3}–{high:3}；本院没有合适规格的输液袋：请分次配制或调整溶媒体积</translation>
    </message>
    <message>
        <source>order {order_id} is also on line {line}</source>
        <translation>医嘱 {order_id} 也出现在第 {line} 行</translation>
    </message>
    <message>
        <source>{drug}: no dose level −{dose_level} in the regimen; the protocol dose is shown — decide the reduction locally</source>
        <translation>{drug}：方案中没有剂量水平 −{dose_level}；显示方案剂量——减量请由本院决定</translation>
    </message>
    <message>
        <source>{drug}: a flat dose without reduction levels; the protocol dose is given</source>
        <translation>{drug}：固定剂量，无减量水平；按方案剂量给药</translation>
    </message>
    <message>
        <source>{drug}: the weight rule sets the dose; dose level −{dose_level} is not applied — record a reduction as a dose modification</source>
        <translation>{drug}：剂量由体重规则确定；不采用剂量水平 −{dose_level}——减量请记录为剂量调整</translation>
    </message>
    <message>
        <source>{drug}: the dose depends on weight; give the weight</source>
        <translation>{drug}：剂量取决于体重；请录入体重</translation>
    </message>
    <message>
        <source>regimen {regimen} v{version} is {status}</source>
        <translation>方案 {regimen} v{version} 的状态为：{status}</translation>
    </message>
    <message>
        <source>regimen {regimen} v{version} is a draft, not yet approved</source>
        <translation>方案 {regimen} v{version} 为草稿，尚未批准</translation>
    </message>
    <message>
        <source>{drug}: the protocol dose {dose} is not confirmed against its primary source</source>
        <translation>{drug}：方案剂量 {dose} 尚未与原始文献核对</translation>
    </message>
    <message>
        <source>{drug}: the protocol dose {dose} is not confirmed against its primary source: {note}</source>
        <translation>{drug}：方案剂量 {dose} 尚未与原始文献核对：{note}</translation>
    </message>
    <message>
        <source>{drug}: the weight-rule dose {dose} is not confirmed against its primary source</source>
        <translation>{drug}：体重规则剂量 {dose} 尚未与原始文献核对</translation>
    </message>
    <message>
        <source>{drug}: no dose limit configured; verification is blocked until a pharmacist acknowledges it</source>
        <translation>{drug}：未设定剂量上限；药师确认前不能核对</translation>
    </message>
    <message>
        <source>{drug}: no strength configured</source>
        <translation>{drug}：未设定规格</translation>
    </message>
    <message>
        <source>{drug}: strengths not yet confirmed against the site formulary</source>
        <translation>{drug}：规格尚未与本院处方集核对</translation>
    </message>
    <message>
        <source>no choice made for {group_name} ({group}); choose one of {options}</source>
        <translation>未选择{group_name}（{group}）；请从 {options} 中选择一项</translation>
    </message>
    <message>
        <source>{phase}: no choice made for {group}; its lines are not scheduled</source>
        <translation>{phase}：未选择 {group}；其药物不排入日程</translation>
    </message>
    <message>
        <source>“{choice}” is not an option of {group_name} ({group}); choose one of {options}</source>
        <translation>“{choice}”不是{group_name}（{group}）的选项；请从 {options} 中选择一项</translation>
    </message>
    <message>
        <source>{phase} cycle {cycle} day {day} {what} moved from {moved_from:date} to {date:date}</source>
        <translation>{phase} 第 {cycle} 周期第 {day} 天 {what} 由 {moved_from:date} 改至 {date:date}</translation>
    </message>
    <message>
        <source>{phase} cycle {cycle} day {day} {what} moved from {moved_from:date} to {date:date} ({note})</source>
        <translation>{phase} 第 {cycle} 周期第 {day} 天 {what} 由 {moved_from:date} 改至 {date:date}（{note}）</translation>
    </message>
    <message>
        <source>{phase} stops on {on:date}: {by} starts on {event}</source>
        <translation>{phase} 于 {on:date} 停止：{by} 在 {event} 时开始</translation>
    </message>
    <message>
        <source>{phase} cycle {cycle} delayed {days} days</source>
        <translation>{phase} 第 {cycle} 周期推迟 {days} 天</translation>
    </message>
    <message>
        <source>{phase} cycle {cycle} delayed {days} days: {reason}</source>
        <translation>{phase} 第 {cycle} 周期推迟 {days} 天：{reason}</translation>
    </message>
    <message>
        <source>{phase} cycle {cycle} day 1 is only {gap} days after cycle {previous} day 1; the regimen&apos;s interval is {interval} days — blocked until a reason is given</source>
        <translation>{phase} 第 {cycle} 周期第 1 天距第 {previous} 周期第 1 天仅 {gap} 天；方案的周期间隔为 {interval} 天——填写理由前阻断</translation>
    </message>
    <message>
        <source>{phase} cycle {cycle} day 1 is only {gap} days after cycle {previous} day 1; the regimen&apos;s interval is {interval} days — reason: {reason}</source>
        <translation>{phase} 第 {cycle} 周期第 1 天距第 {previous} 周期第 1 天仅 {gap} 天；方案的周期间隔为 {interval} 天——理由：{reason}</translation>
    </message>
    <message>
        <source>{phase} cycle {cycle} day 1 is {gap} days after the previous one (the regimen says {interval}) because a closure moved a day 1</source>
        <translation>{phase} 第 {cycle} 周期第 1 天距上一周期 {gap} 天（方案为 {interval} 天），因停诊调整了第 1 天</translation>
    </message>
    <message>
        <source>recorded {status} dose of {drug} ({phase} cycle {cycle} day {day}) matches no planned administration; check the record</source>
        <translation>已记录的{status}剂量 {drug}（{phase} 第 {cycle} 周期第 {day} 天）与任何计划给药都不对应；请核对记录</translation>
    </message>
    <message>
        <source>plan {plan}: regimen {regimen} {version} is not in the library, so its planned doses are not projected</source>
        <translation>计划 {plan}：方案库中没有方案 {regimen} {version}，其计划剂量未计入预测</translation>
    </message>
    <message>
        <source>plan {plan} ({regimen} {version}) cannot be projected: {reason}</source>
        <translation>计划 {plan}（{regimen} {version}）无法预测：{reason}</translation>
    </message>
    <message>
        <source>stated</source>
        <extracomment>Words the core writes into its sentences from a fixed set (statuses, solutions, kinds).</extracomment>
        <translation>自述</translation>
    </message>
    <message>
        <source>estimated</source>
        <translation>估计</translation>
    </message>
    <message>
        <source>below</source>
        <translation>低于</translation>
    </message>
    <message>
        <source>above</source>
        <translation>高于</translation>
    </message>
    <message>
        <source>regimen bound</source>
        <translation>方案上限</translation>
    </message>
    <message>
        <source>sodium chloride 0.9%</source>
        <translation>0.9% 氯化钠注射液</translation>
    </message>
    <message>
        <source>glucose 5%</source>
        <translation>5% 葡萄糖注射液</translation>
    </message>
    <message>
        <source>label</source>
        <translation>说明书</translation>
    </message>
    <message>
        <source>convention</source>
        <translation>惯例</translation>
    </message>
    <message>
        <source>protocol</source>
        <translation>方案</translation>
    </message>
    <message>
        <source>draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <source>approved</source>
        <translation>已批准</translation>
    </message>
    <message>
        <source>superseded</source>
        <translation>已被取代</translation>
    </message>
    <message>
        <source>withdrawn</source>
        <translation>已撤回</translation>
    </message>
    <message>
        <source>given</source>
        <translation>已给药</translation>
    </message>
    <message>
        <source>held</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>radiotherapy</source>
        <translation>放疗</translation>
    </message>
    <message>
        <source>intervention</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>check</source>
        <translation>检查</translation>
    </message>
    <message>
        <source>strengths</source>
        <translation>规格</translation>
    </message>
    <message>
        <source>reconstitution</source>
        <translation>复溶</translation>
    </message>
    <message>
        <source>diluents</source>
        <translation>溶媒</translation>
    </message>
    <message>
        <source>concentration</source>
        <translation>浓度</translation>
    </message>
    <message>
        <source>administration</source>
        <translation>给药方式</translation>
    </message>
    <message>
        <source>stability</source>
        <translation>稳定性</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>progression</source>
        <translation>进展</translation>
    </message>
    <message>
        <source>recurrence</source>
        <translation>复发</translation>
    </message>
    <message>
        <source> — overridden: {reason}</source>
        <translation>——已越过，原因：{reason}</translation>
    </message>
    <message>
        <source> — no PD-1 dose is planned</source>
        <translation>——未计划 PD-1 给药</translation>
    </message>
</context>
<context>
    <name>DoseTable</name>
    <message>
        <source>intravenous</source>
        <translation>静脉输注</translation>
    </message>
    <message>
        <source>oral</source>
        <translation>口服</translation>
    </message>
    <message>
        <source>hepatic intra-arterial</source>
        <translation>肝动脉灌注</translation>
    </message>
    <message>
        <source>Drug</source>
        <extracomment>Blocks first, then warnings, then notes.</extracomment>
        <translation>药物</translation>
    </message>
    <message>
        <source>Basis</source>
        <translation>计算依据</translation>
    </message>
    <message>
        <source>Calculated</source>
        <translation>计算剂量</translation>
    </message>
    <message>
        <source>DOSE</source>
        <translation>最终剂量</translation>
    </message>
    <message>
        <source>% diff</source>
        <translation>偏差 %</translation>
    </message>
    <message>
        <source>Route</source>
        <translation>给药途径</translation>
    </message>
    <message>
        <source>Days</source>
        <translation>给药日</translation>
    </message>
    <message>
        <source>Drug (tall man where ISMP lists one)</source>
        <extracomment>The row&apos;s :class:`~dosecalc.regimen.order.OrderedLine`.</extracomment>
        <translation>药物（ISMP 列出的药名使用 Tall Man 大写）</translation>
    </message>
    <message>
        <source>Dose basis from the regimen</source>
        <translation>方案规定的剂量依据</translation>
    </message>
    <message>
        <source>Calculated dose per administration, before rounding</source>
        <translation>每次给药的计算剂量（取整前）</translation>
    </message>
    <message>
        <source>DOSE: the final dose per administration, after rounding</source>
        <translation>最终剂量：每次给药的剂量（取整后）</translation>
    </message>
    <message>
        <source>Difference of the final from the calculated dose</source>
        <translation>最终剂量与计算剂量的偏差</translation>
    </message>
    <message>
        <source>Route and infusion duration</source>
        <translation>给药途径与输注时长</translation>
    </message>
    <message>
        <source>Days of the cycle</source>
        <translation>周期内的给药日</translation>
    </message>
    <message>
        <source> over {duration}</source>
        <translation>，输注 {duration}</translation>
    </message>
</context>
<context>
    <name>DosesTab</name>
    <message>
        <source>actual body weight</source>
        <translation>实际体重</translation>
    </message>
    <message>
        <source>ideal body weight (Devine)</source>
        <translation>理想体重（Devine）</translation>
    </message>
    <message>
        <source>adjusted body weight (IBW + 0.4 × excess)</source>
        <translation>校正体重（IBW + 0.4 × 超出部分）</translation>
    </message>
    <message>
        <source>lower of actual and ideal body weight</source>
        <translation>实际体重与理想体重中的较低者</translation>
    </message>
    <message>
        <source>Stevenson 1937 (Chinese)</source>
        <translation>Stevenson 1937（中国人）</translation>
    </message>
    <message>
        <source>CKD-EPI 2021 (race-free)</source>
        <translation>CKD-EPI 2021（不含种族）</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>125 mL/min (FDA 2010)</source>
        <translation>125 mL/min（FDA 2010）</translation>
    </message>
    <message>
        <source>10 % (HOPA ceiling)</source>
        <translation>10 %（HOPA 上限）</translation>
    </message>
    <message>
        <source>BSA formula</source>
        <extracomment>(plan key, label, options as (value the core parses, label)). &quot;measured&quot; needs a GFR, entered elsewhere.</extracomment>
        <translation>体表面积公式</translation>
    </message>
    <message>
        <source>Weight basis (renal)</source>
        <translation>体重依据（肾功能）</translation>
    </message>
    <message>
        <source>Renal method</source>
        <translation>肾功能估算方法</translation>
    </message>
    <message>
        <source>Creatinine floor</source>
        <translation>肌酐下限</translation>
    </message>
    <message>
        <source>GFR cap</source>
        <translation>GFR 上限</translation>
    </message>
    <message>
        <source>Maximum rounding deviation</source>
        <translation>最大取整偏差</translation>
    </message>
    <message>
        <source>draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <source>calculated</source>
        <translation>已计算</translation>
    </message>
    <message>
        <source>verified</source>
        <translation>已核对</translation>
    </message>
    <message>
        <source>printed</source>
        <translation>已打印</translation>
    </message>
    <message>
        <source>superseded</source>
        <translation>已作废</translation>
    </message>
    <message>
        <source>&amp;Override blocks…</source>
        <extracomment>Milliseconds the last recalculation took (information for the bench, never asserted).</extracomment>
        <translation>越过阻断(&amp;O)…</translation>
    </message>
    <message>
        <source>Calculate and &amp;save order  (Ctrl+S)</source>
        <translation>计算并保存医嘱(&amp;S)  （Ctrl+S）</translation>
    </message>
    <message>
        <source>&amp;Verify…  (Ctrl+Shift+V)</source>
        <translation>核对(&amp;V)…  （Ctrl+Shift+V）</translation>
    </message>
    <message>
        <source>&amp;Print worksheet…</source>
        <translation>打印工作单(&amp;P)…</translation>
    </message>
    <message>
        <source>Print preview of the saved order&apos;s worksheet (Ctrl+P)</source>
        <translation>已保存医嘱工作单的打印预览（Ctrl+P）</translation>
    </message>
    <message>
        <source>Measurements</source>
        <translation>测量值</translation>
    </message>
    <message>
        <source>&amp;Height</source>
        <translation>身高(&amp;H)</translation>
    </message>
    <message>
        <source>e.g. 170 cm or 1.7 m</source>
        <translation>如 170 cm 或 1.7 m</translation>
    </message>
    <message>
        <source>&amp;Weight</source>
        <translation>体重(&amp;W)</translation>
    </message>
    <message>
        <source>e.g. 65 kg</source>
        <translation>如 65 kg</translation>
    </message>
    <message>
        <source>C&amp;reatinine</source>
        <translation>血肌酐(&amp;R)</translation>
    </message>
    <message>
        <source>e.g. 80 µmol/L</source>
        <translation>如 80 µmol/L</translation>
    </message>
    <message>
        <source>Measured o&amp;n</source>
        <translation>测量日期(&amp;N)</translation>
    </message>
    <message>
        <source>Save &amp;measurements</source>
        <translation>保存测量值(&amp;M)</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>方案</translation>
    </message>
    <message>
        <source>cycle </source>
        <translation>周期 </translation>
    </message>
    <message>
        <source>Cycle</source>
        <translation>周期</translation>
    </message>
    <message>
        <source>Ph&amp;ase</source>
        <translation>阶段(&amp;A)</translation>
    </message>
    <message>
        <source>Save &amp;plan</source>
        <translation>保存方案(&amp;P)</translation>
    </message>
    <message>
        <source>S&amp;tart date</source>
        <translation>开始日期(&amp;T)</translation>
    </message>
    <message>
        <source>Dosing policies</source>
        <extracomment>The combo of each policy (plan key → combo); its data is the value the plan records. The site default of each policy, as the value the plan records.</extracomment>
        <translation>剂量规则</translation>
    </message>
    <message>
        <source>Show the policy choices</source>
        <translation>显示剂量规则选项</translation>
    </message>
    <message>
        <source>{option} (site default)</source>
        <translation>{option}（本院默认）</translation>
    </message>
    <message>
        <source>Select a dose line to see how it was calculated.</source>
        <translation>选择一行剂量以查看计算过程。</translation>
    </message>
    <message>
        <source>dd MMM yyyy</source>
        <translation>yyyy年M月d日</translation>
    </message>
    <message>
        <source>Hi&amp;de</source>
        <translation>隐藏(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Change…</source>
        <translation>更改(&amp;C)…</translation>
    </message>
    <message>
        <source> (CHANGED)</source>
        <translation>（已更改）</translation>
    </message>
    <message>
        <source>All site defaults</source>
        <translation>全部为本院默认</translation>
    </message>
    <message>
        <source>{count} changed from the site defaults</source>
        <translation>{count}项与本院默认不同</translation>
    </message>
    <message>
        <source>Doses</source>
        <translation>剂量</translation>
    </message>
    <message>
        <source>Derivation</source>
        <translation>计算过程</translation>
    </message>
    <message>
        <source>Flags</source>
        <translation>提示</translation>
    </message>
    <message>
        <source>{phase}, every {days} days</source>
        <translation>{phase}，每{days}天</translation>
    </message>
    <message>
        <source>none (left out)</source>
        <translation>无（不使用）</translation>
    </message>
    <message>
        <source>— choose —</source>
        <translation>— 请选择 —</translation>
    </message>
    <message>
        <source>— choose — (not used in this phase)</source>
        <translation>— 请选择 —（本阶段不使用）</translation>
    </message>
    <message>
        <source>{group}: not used in phase {phase}</source>
        <translation>{group}：阶段 {phase} 不使用</translation>
    </message>
    <message>
        <source>the saved plan&apos;s {policy}: {error}</source>
        <translation>已保存方案的 {policy}：{error}</translation>
    </message>
    <message>
        <source>{value} (from the plan)</source>
        <translation>{value}（来自方案）</translation>
    </message>
    <message>
        <source>No patient selected</source>
        <translation>未选择患者</translation>
    </message>
    <message>
        <source>{name} · {number} · born {born} ({age} years) · {sex}</source>
        <translation>{name} · {number} · 出生 {born}（{age}岁） · {sex}</translation>
    </message>
    <message>
        <source>Allergies: {allergies}
Diagnosis: {diagnosis}</source>
        <translation>过敏史：{allergies}
诊断：{diagnosis}</translation>
    </message>
    <message>
        <source>Select a patient to calculate doses.</source>
        <translation>请选择患者以计算剂量。</translation>
    </message>
    <message>
        <source>Choose a regimen: search by name, drug or trial id.</source>
        <translation>请选择方案：可按名称、药物或试验编号搜索。</translation>
    </message>
    <message>
        <source>No doses: see the BLOCK in the flags below.</source>
        <translation>无剂量：请查看下方提示中的阻断项。</translation>
    </message>
    <message>
        <source>{regimen} v{version} — {phase}, cycle {cycle}</source>
        <translation>{regimen} v{version} — {phase}，第{cycle}周期</translation>
    </message>
    <message>
        <source>BSA {bsa} ({formula})</source>
        <translation>体表面积 {bsa}（{formula}）</translation>
    </message>
    <message>
        <source>renal clearance {clearance}</source>
        <translation>肌酐清除率 {clearance}</translation>
    </message>
    <message>
        <source>select a patient</source>
        <translation>请选择患者</translation>
    </message>
    <message>
        <source>sign in</source>
        <translation>请登录</translation>
    </message>
    <message>
        <source>no doses calculated</source>
        <translation>未计算剂量</translation>
    </message>
    <message>
        <source>1 BLOCK to resolve or override</source>
        <translation>1个阻断项需解决或越过</translation>
    </message>
    <message>
        <source>{count} BLOCKs to resolve or override</source>
        <translation>{count}个阻断项需解决或越过</translation>
    </message>
    <message>
        <source>save the changed measurements first</source>
        <translation>请先保存已更改的测量值</translation>
    </message>
    <message>
        <source>save the plan first (the selection differs from every saved plan)</source>
        <translation>请先保存方案（当前选择与所有已保存方案均不同）</translation>
    </message>
    <message>
        <source>this calculation is already saved as order #{id} ({status})</source>
        <translation>此计算已保存为医嘱 #{id}（{status}）</translation>
    </message>
    <message>
        <source>Saved plan #{id} ({regimen} v{version}, start {start}) matches the selection.</source>
        <translation>已保存方案 #{id}（{regimen} v{version}，开始于{start}）与当前选择一致。</translation>
    </message>
    <message>
        <source>Not saved: the selection differs from plan #{id} ({regimen} v{version}); save it as a new plan to order from it.</source>
        <translation>未保存：当前选择与方案 #{id}（{regimen} v{version}）不同；请另存为新方案后再开医嘱。</translation>
    </message>
    <message>
        <source>No plan saved for this patient yet.</source>
        <translation>该患者尚未保存方案。</translation>
    </message>
    <message>
        <source>Choose every option this phase uses to save a plan.</source>
        <translation>请选择本阶段用到的每一项，才能保存方案。</translation>
    </message>
    <message>
        <source>Cannot save the order yet: {reasons}.</source>
        <translation>暂不能保存医嘱：{reasons}。</translation>
    </message>
    <message>
        <source>Order status: —</source>
        <translation>医嘱状态：—</translation>
    </message>
    <message>
        <source>Order status: draft — calculated on screen, not saved</source>
        <translation>医嘱状态：草稿 — 已在屏幕上计算，未保存</translation>
    </message>
    <message>
        <source>Order status: {status} — order #{id}, {phase} cycle {cycle}</source>
        <translation>医嘱状态：{status} — 医嘱 #{id}，{phase} 第{cycle}周期</translation>
    </message>
    <message>
        <source>; awaiting independent verification</source>
        <translation>；等待独立核对</translation>
    </message>
    <message>
        <source>; verified {date} {time} UTC</source>
        <translation>；已于 {date} {time} UTC 核对</translation>
    </message>
    <message>
        <source>; verification void: an input changed, calculate and verify again</source>
        <translation>；核对已失效：输入已更改，请重新计算并核对</translation>
    </message>
    <message>
        <source>. ON SCREEN: a new calculation that is not order #{id} and is not saved</source>
        <translation>。屏幕上为新的计算结果，并非医嘱 #{id}，且未保存</translation>
    </message>
    <message>
        <source>⚠ Error: {message}</source>
        <translation>⚠ 错误：{message}</translation>
    </message>
    <message>
        <source>{field} {value} recorded, measured {date}</source>
        <translation>已记录{field} {value}，测量日期 {date}</translation>
    </message>
    <message>
        <source>Plan saved: {regimen} v{version}</source>
        <translation>方案已保存：{regimen} v{version}</translation>
    </message>
    <message>
        <source>no matching plan</source>
        <translation>无匹配的方案</translation>
    </message>
    <message>
        <source>cannot save: {reasons}</source>
        <translation>无法保存：{reasons}</translation>
    </message>
    <message>
        <source>Order saved: {regimen}, {phase} cycle {cycle} — awaiting verification</source>
        <translation>医嘱已保存：{regimen}，{phase} 第{cycle}周期 — 等待核对</translation>
    </message>
    <message>
        <source>nothing to print: save the order first (a worksheet prints a saved order)</source>
        <translation>没有可打印的内容：请先保存医嘱（工作单打印的是已保存的医嘱）</translation>
    </message>
    <message>
        <source>nothing to print: save the order first (a bag label prints a saved order)</source>
        <translation>没有可打印的内容：请先保存医嘱（输液袋标签打印的是已保存的医嘱）</translation>
    </message>
    <message>
        <source>nothing to verify: no calculated order awaits verification</source>
        <translation>没有可核对的内容：没有等待核对的已计算医嘱</translation>
    </message>
</context>
<context>
    <name>Flags</name>
    <message>
        <source>BLOCK</source>
        <translation>阻断</translation>
    </message>
    <message>
        <source>WARNING</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>INFO</source>
        <translation>信息</translation>
    </message>
    <message>
        <source>{severity}: {message}</source>
        <translation>{severity}：{message}</translation>
    </message>
    <message>
        <source>BLOCK (overridden, reason: {reason}): {message}</source>
        <translation>阻断（已越过，原因：{reason}）：{message}</translation>
    </message>
</context>
<context>
    <name>LedgerTab</name>
    <message>
        <source>OK</source>
        <extracomment>(fraction given so far, fraction projected, text) of a limit bar; None where there is nothing to measure.</extracomment>
        <translation>正常</translation>
    </message>
    <message>
        <source>WARNING</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>BLOCK</source>
        <translation>阻断</translation>
    </message>
    <message>
        <source>1 flag</source>
        <translation>1条提示</translation>
    </message>
    <message>
        <source>{count} flags</source>
        <translation>{count}条提示</translation>
    </message>
    <message>
        <source>Drug</source>
        <translation>药物</translation>
    </message>
    <message>
        <source>Total so far</source>
        <translation>迄今累积量</translation>
    </message>
    <message>
        <source>Projected total</source>
        <translation>预计累积量</translation>
    </message>
    <message>
        <source>Limit</source>
        <translation>上限</translation>
    </message>
    <message>
        <source>Against the limit (solid: so far; hatched: projected)</source>
        <translation>占上限比例（实心：迄今；斜线：预计）</translation>
    </message>
    <message>
        <source>no mass limit</source>
        <translation>无累积剂量上限</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>{label} (class total: {members})</source>
        <translation>{label}（同类药物合计：{members}）</translation>
    </message>
    <message>
        <source>1 dose counted</source>
        <translation>计入1次给药</translation>
    </message>
    <message>
        <source>{count} doses counted</source>
        <translation>计入{count}次给药</translation>
    </message>
    <message>
        <source>, {count} held</source>
        <translation>，暂停{count}次</translation>
    </message>
    <message>
        <source>incomplete: {count} not counted</source>
        <translation>不完整：{count}次未计入</translation>
    </message>
    <message>
        <source>next {date}: +{amount} {unit}</source>
        <translation>下次 {date}：+{amount} {unit}</translation>
    </message>
    <message>
        <source>{count} planned not projected</source>
        <translation>{count}次计划给药未计入预计量</translation>
    </message>
    <message>
        <source>warning from {amount} {unit}</source>
        <translation>{amount} {unit} 起警告</translation>
    </message>
    <message>
        <source>warning from {amount} {unit}
no maximum set</source>
        <translation>{amount} {unit} 起警告
未设上限</translation>
    </message>
    <message>
        <source>see the PD-1 bound</source>
        <translation>见 PD-1 疗程上限</translation>
    </message>
    <message>
        <source>none in the catalogue</source>
        <translation>药品目录中未设</translation>
    </message>
    <message>
        <source> warning level</source>
        <translation> 警告阈值</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>部位</translation>
    </message>
    <message>
        <source>Courses</source>
        <translation>疗程</translation>
    </message>
    <message>
        <source>not known</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>, finished {date}</source>
        <translation>，{date}完成</translation>
    </message>
    <message>
        <source>proposed</source>
        <translation>拟定</translation>
    </message>
    <message>
        <source>declared</source>
        <translation>已申报</translation>
    </message>
    <message>
        <source>{total} Gy in {fractions} fractions ({each} Gy each){when} — {kind}</source>
        <translation>{total} Gy 分{fractions}次（每次 {each} Gy）{when} — {kind}</translation>
    </message>
    <message>
        <source>&lt;b&gt;Radiotherapy sums&lt;/b&gt; (BED and EQD2 by site; information, not limits)</source>
        <translation>&lt;b&gt;放疗累积&lt;/b&gt;（按部位计 BED 和 EQD2；仅供参考，非上限）</translation>
    </message>
    <message>
        <source>No radiotherapy recorded.</source>
        <translation>无放疗记录。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Flags&lt;/b&gt; (blocks first)</source>
        <translation>&lt;b&gt;提示&lt;/b&gt;（阻断项在前）</translation>
    </message>
    <message>
        <source>No patient selected</source>
        <translation>未选择患者</translation>
    </message>
    <message>
        <source>The ledger cannot be computed: {error}</source>
        <translation>无法计算累积剂量表：{error}</translation>
    </message>
    <message>
        <source>1 block</source>
        <translation>1个阻断</translation>
    </message>
    <message>
        <source>{count} blocks</source>
        <translation>{count}个阻断</translation>
    </message>
    <message>
        <source>1 warning</source>
        <translation>1个警告</translation>
    </message>
    <message>
        <source>{count} warnings</source>
        <translation>{count}个警告</translation>
    </message>
    <message>
        <source>&lt;b&gt;Cumulative ledger on {date}&lt;/b&gt; (hospital number {number}) — overall: &lt;b&gt;{status}&lt;/b&gt; ({blocks}, {warnings}). Projected totals add every dose still planned at the full dose level (an upper bound).</source>
        <translation>&lt;b&gt;累积剂量表（{date}）&lt;/b&gt;（住院号 {number}）— 总体：&lt;b&gt;{status}&lt;/b&gt;（{blocks}，{warnings}）。预计累积量按全剂量计入所有尚未给药的计划剂量（为上限估计）。</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>&lt;b&gt;PD-1 bound:&lt;/b&gt; no PD-1 antibody given or planned.</source>
        <translation>&lt;b&gt;PD-1 疗程上限：&lt;/b&gt;未给予或计划 PD-1 抗体。</translation>
    </message>
    <message>
        <source>{count} months</source>
        <translation>{count}个月</translation>
    </message>
    <message>
        <source>{count} cycles</source>
        <translation>{count}个周期</translation>
    </message>
    <message>
        <source>not given yet</source>
        <translation>尚未给药</translation>
    </message>
    <message>
        <source>, no PD-1 dose from {date}</source>
        <translation>，自{date}起不再给予 PD-1</translation>
    </message>
    <message>
        <source>1 cycle given</source>
        <translation>已给1个周期</translation>
    </message>
    <message>
        <source>{count} cycles given</source>
        <translation>已给{count}个周期</translation>
    </message>
    <message>
        <source>&lt;b&gt;PD-1 bound:&lt;/b&gt; {limits} from the first dose (first dose {first}{stop}); {given}, {months} months {days} days elapsed — &lt;b&gt;{status}&lt;/b&gt;. Source: {source}</source>
        <translation>&lt;b&gt;PD-1 疗程上限：&lt;/b&gt;自首剂起{limits}（首剂 {first}{stop}）；{given}，已过{months}个月{days}天 — &lt;b&gt;{status}&lt;/b&gt;。来源：{source}</translation>
    </message>
    <message>
        <source> or </source>
        <translation>或</translation>
    </message>
    <message>
        <source>MISSING</source>
        <translation>缺失</translation>
    </message>
    <message>
        <source>STALE</source>
        <translation>过期</translation>
    </message>
    <message>
        <source>1 day old</source>
        <translation>1天前</translation>
    </message>
    <message>
        <source>{count} days old</source>
        <translation>{count}天前</translation>
    </message>
    <message>
        <source>not recorded</source>
        <translation>未记录</translation>
    </message>
    <message>
        <source>{kind} {when} (window {days} days): {state}</source>
        <translation>{kind} {when}（有效期{days}天）：{state}</translation>
    </message>
    <message>
        <source>weight change {change} % from {reference} kg (flags from {threshold} %): {state}</source>
        <translation>体重变化 {change} %（参考 {reference} kg，超过 {threshold} % 提示）：{state}</translation>
    </message>
    <message>
        <source>FLAGGED</source>
        <translation>已提示</translation>
    </message>
    <message>
        <source>weight change: no reference weight</source>
        <translation>体重变化：无参考体重</translation>
    </message>
    <message>
        <source>day-1 labs: {status}</source>
        <translation>第1天化验：{status}</translation>
    </message>
    <message>
        <source> ({count} not recorded)</source>
        <translation>（{count}项未记录）</translation>
    </message>
    <message>
        <source>&lt;b&gt;Checks:&lt;/b&gt; </source>
        <translation>&lt;b&gt;检查：&lt;/b&gt;</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>regimen library: {count} file(s) refused, e.g. {example}</source>
        <translation>方案库：{count}个文件被拒绝，例如 {example}</translation>
    </message>
    <message>
        <source>&amp;Doses</source>
        <translation>剂量(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Calendar</source>
        <translation>日历(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Ledger</source>
        <translation>累积剂量(&amp;L)</translation>
    </message>
    <message>
        <source>Opening the record store…</source>
        <translation>正在打开记录库…</translation>
    </message>
    <message>
        <source>Checking the audit trail and the regimen library. Nothing can be entered until they are ready.</source>
        <translation>正在核对审计记录和方案库。在它们就绪之前，无法输入任何内容。</translation>
    </message>
    <message>
        <source>{number} · born {born} · {sex}</source>
        <translation>{number} · 出生 {born} · {sex}</translation>
    </message>
    <message>
        <source>⚠ DEMO — demonstration patient: invented data, not a real person. Never use it for treatment.</source>
        <translation>⚠ 演示 — 演示患者：虚构数据，并非真实患者。切勿用于治疗。</translation>
    </message>
    <message>
        <source>No patient selected</source>
        <translation>未选择患者</translation>
    </message>
    <message>
        <source>Find a patient by name or hospital number on the left (Ctrl+F).</source>
        <translation>在左侧按姓名或住院号查找患者（Ctrl+F）。</translation>
    </message>
    <message>
        <source>{name}   ·   Hospital number {number}</source>
        <translation>{name}   ·   住院号 {number}</translation>
    </message>
    <message>
        <source>Born {born} ({age} years) · {sex} · Allergies: {allergies} · Diagnosis: {diagnosis}</source>
        <translation>出生 {born}（{age}岁） · {sex} · 过敏史：{allergies} · 诊断：{diagnosis}</translation>
    </message>
    <message>
        <source>⚠ Error: {message}</source>
        <translation>⚠ 错误：{message}</translation>
    </message>
    <message>
        <source>Edit patient</source>
        <translation>编辑患者</translation>
    </message>
    <message>
        <source>New patient</source>
        <translation>新建患者</translation>
    </message>
    <message>
        <source>YYYY-MM-DD</source>
        <translation>YYYY-MM-DD</translation>
    </message>
    <message>
        <source>— choose —</source>
        <translation>— 请选择 —</translation>
    </message>
    <message>
        <source>type the allergies, or tick &apos;No known allergies&apos;</source>
        <translation>填写过敏史，或勾选“无已知过敏”</translation>
    </message>
    <message>
        <source>No known allergies</source>
        <translation>无已知过敏</translation>
    </message>
    <message>
        <source>The language of the patient&apos;s printed calendar (drug names stay bilingual)</source>
        <translation>患者打印日历所用的语言（药名始终中英对照）</translation>
    </message>
    <message>
        <source>&amp;Hospital number:</source>
        <translation>住院号(&amp;H)：</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>姓名(&amp;N)：</translation>
    </message>
    <message>
        <source>Date of &amp;birth:</source>
        <translation>出生日期(&amp;B)：</translation>
    </message>
    <message>
        <source>&amp;Sex:</source>
        <translation>性别(&amp;S)：</translation>
    </message>
    <message>
        <source>&amp;Allergies:</source>
        <translation>过敏史(&amp;A)：</translation>
    </message>
    <message>
        <source>&amp;Diagnosis:</source>
        <translation>诊断(&amp;D)：</translation>
    </message>
    <message>
        <source>Calendar &amp;language:</source>
        <translation>日历语言(&amp;L)：</translation>
    </message>
    <message>
        <source>The hospital number identifies the record and cannot be changed.</source>
        <translation>住院号是该记录的标识，不能更改。</translation>
    </message>
    <message>
        <source>&amp;Reason for the change:</source>
        <translation>更改原因(&amp;R)：</translation>
    </message>
    <message>
        <source>Add measurement</source>
        <translation>添加测量值</translation>
    </message>
    <message>
        <source>with its unit, e.g. 61 kg, 78 µmol/L, 2.1 x10^9/L</source>
        <translation>带单位，如 61 kg、78 µmol/L、2.1 x10^9/L</translation>
    </message>
    <message>
        <source>YYYY-MM-DD, e.g. {today}</source>
        <translation>YYYY-MM-DD，如 {today}</translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation>类型(&amp;K)：</translation>
    </message>
    <message>
        <source>&amp;Value:</source>
        <translation>数值(&amp;V)：</translation>
    </message>
    <message>
        <source>&amp;Date:</source>
        <translation>日期(&amp;D)：</translation>
    </message>
    <message>
        <source>&amp;Source:</source>
        <translation>来源(&amp;S)：</translation>
    </message>
    <message>
        <source>Search name or hospital number (Ctrl+F)</source>
        <extracomment>The user chose Sign out; the application shows the sign-in dialog again.</extracomment>
        <translation>搜索姓名或住院号（Ctrl+F）</translation>
    </message>
    <message>
        <source>Search patients by name or hospital number</source>
        <translation>按姓名或住院号搜索患者</translation>
    </message>
    <message>
        <source>Show the DEMO patient</source>
        <translation>显示演示患者</translation>
    </message>
    <message>
        <source>Patients</source>
        <translation>患者</translation>
    </message>
    <message>
        <source>&amp;New patient…</source>
        <translation>新建患者(&amp;N)…</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>编辑(&amp;E)…</translation>
    </message>
    <message>
        <source>Add &amp;measurement…</source>
        <translation>添加测量值(&amp;M)…</translation>
    </message>
    <message>
        <source>The latest value of each kind, with its date; STATED or ESTIMATED when not measured</source>
        <translation>每类的最新数值及日期；非实测时标注“自述”或“估计”</translation>
    </message>
    <message>
        <source>Select a patient on the left (Ctrl+F to search) to see {tab}.</source>
        <translation>请在左侧选择患者（Ctrl+F 搜索）以查看{tab}。</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <extracomment>Each menu and action with its English text, retranslated on a language change.</extracomment>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Print…</source>
        <translation>打印(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Export PDF…</source>
        <translation>导出 PDF(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <source>Sign &amp;out</source>
        <translation>退出登录(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Patient</source>
        <translation>患者(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Find…</source>
        <translation>查找(&amp;F)…</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>Follow the &amp;system</source>
        <translation>跟随系统(&amp;S)</translation>
    </message>
    <message>
        <source>Interface language: {language}</source>
        <translation>界面语言：{language}</translation>
    </message>
    <message>
        <source>Signed in: {user} · Store: {store}</source>
        <translation>已登录：{user} · 记录库：{store}</translation>
    </message>
    <message>
        <source>Latest measurements</source>
        <translation>最新测量值</translation>
    </message>
    <message>
        <source>none recorded</source>
        <translation>无记录</translation>
    </message>
    <message>
        <source>Error: {message}</source>
        <translation>错误：{message}</translation>
    </message>
    <message>
        <source>Added patient {number}</source>
        <translation>已添加患者 {number}</translation>
    </message>
    <message>
        <source>Saved patient {number}</source>
        <translation>已保存患者 {number}</translation>
    </message>
    <message>
        <source>Recorded {kind}</source>
        <translation>已记录{kind}</translation>
    </message>
    <message>
        <source>Print: select a patient, then the Doses tab (order worksheet) or the Calendar tab</source>
        <translation>打印：请先选择患者，再切换到“剂量”页（医嘱工作单）或“日历”页</translation>
    </message>
    <message>
        <source>Export PDF</source>
        <translation>导出 PDF</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>Settings saved</source>
        <translation>设置已保存</translation>
    </message>
</context>
<context>
    <name>Operations</name>
    <message>
        <source>internal error: {error}; please report this</source>
        <extracomment>The selected patient changed (id, or -1 for none). Records of this patient changed (a measurement, plan, administration, verification...). A one-line message for the status area; ``error`` is True for refusals.</extracomment>
        <translation>内部错误：{error}；请报告此问题</translation>
    </message>
</context>
<context>
    <name>OverrideDialog</name>
    <message>
        <source>Override blocks</source>
        <translation>越过阻断</translation>
    </message>
    <message>
        <source>Each override needs a typed reason; it is saved with the order under your name.</source>
        <translation>每次越过都必须填写原因；原因将以您的名义与医嘱一并保存。</translation>
    </message>
    <message>
        <source>BLOCK: {message}</source>
        <translation>阻断：{message}</translation>
    </message>
    <message>
        <source>reason for overriding</source>
        <translation>越过原因</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>原因：</translation>
    </message>
</context>
<context>
    <name>Patient</name>
    <message>
        <source>female</source>
        <extracomment>Amber behind black text: the word DEMO carries the meaning, the colour only repeats it. How stored values are shown (the store keeps the English word).</extracomment>
        <translation>女</translation>
    </message>
    <message>
        <source>male</source>
        <translation>男</translation>
    </message>
    <message>
        <source>measured</source>
        <translation>实测</translation>
    </message>
    <message>
        <source>stated</source>
        <translation>自述</translation>
    </message>
    <message>
        <source>estimated</source>
        <translation>估计</translation>
    </message>
    <message>
        <source>no known allergies</source>
        <translation>无已知过敏</translation>
    </message>
</context>
<context>
    <name>PlanText</name>
    <message>
        <source>{cycles} cycles</source>
        <translation>{cycles}个周期</translation>
    </message>
    <message>
        <source>{months} months from the phase&apos;s first dose</source>
        <translation>自本阶段首次给药起{months}个月</translation>
    </message>
    <message>
        <source>{months} months from the first PD-1 dose</source>
        <translation>自首次PD-1给药起{months}个月</translation>
    </message>
    <message>
        <source> (until {until})</source>
        <translation>（至{until}）</translation>
    </message>
    <message>
        <source>starts on {event}; not scheduled</source>
        <translation>{event}时开始；未排期</translation>
    </message>
    <message>
        <source>stopped early on {on}: {reason}</source>
        <translation>于{on}提前停止：{reason}</translation>
    </message>
    <message>
        <source>stopped on {on} by {by}</source>
        <translation>于{on}因{by}停止</translation>
    </message>
    <message>
        <source> or </source>
        <translation>或</translation>
    </message>
    <message>
        <source>, whichever comes first</source>
        <translation>，以先到者为准</translation>
    </message>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <source>progression</source>
        <extracomment>The events a phase may start on (``PhaseStart.on_event``); &quot;&quot; when the regimen names none.</extracomment>
        <translation>进展</translation>
    </message>
    <message>
        <source>recurrence</source>
        <translation>复发</translation>
    </message>
    <message>
        <source>an event</source>
        <translation>某事件</translation>
    </message>
    <message>
        <source>day-1 go/no-go: blood count, liver and kidney tests before dosing</source>
        <translation>第1天给药前评估：给药前查血常规、肝功能和肾功能</translation>
    </message>
    <message>
        <source>response assessment after {after} cycles</source>
        <translation>{after}个周期后疗效评估</translation>
    </message>
    <message>
        <source>{total} in {fractions} fractions</source>
        <translation>{total}，分{fractions}次</translation>
    </message>
    <message>
        <source>local intervention per lesion (up to {max_lesions}): {kinds} — schedule each lesion</source>
        <translation>按病灶局部治疗（最多{max_lesions}个病灶）：{kinds} — 每个病灶分别排期</translation>
    </message>
    <message>
        <source>radiotherapy</source>
        <extracomment>The kinds of local intervention a regimen may list.</extracomment>
        <translation>放疗</translation>
    </message>
    <message>
        <source>surgery</source>
        <translation>手术</translation>
    </message>
    <message>
        <source>ablation</source>
        <translation>消融</translation>
    </message>
    <message>
        <source>planned</source>
        <extracomment>What happened to a planned dose (``Event.status``).</extracomment>
        <translation>计划</translation>
    </message>
    <message>
        <source>given</source>
        <translation>已给药</translation>
    </message>
    <message>
        <source>held</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>skipped</source>
        <translation>未给药</translation>
    </message>
    <message>
        <source>modified</source>
        <translation>已调整</translation>
    </message>
</context>
<context>
    <name>PreparationPanel</name>
    <message>
        <source>Preparation</source>
        <extracomment>&quot;Print bag label…&quot; was pressed: the drug (catalogue id) and the order line of the line shown. The text of each row, as shown (the details view renders these). &quot;UNCONFIRMED against the product label: …&quot;, shown first in the details.</extracomment>
        <translation>配制</translation>
    </message>
    <message>
        <source>Container</source>
        <translation>容器</translation>
    </message>
    <message>
        <source>Vials</source>
        <translation>药瓶</translation>
    </message>
    <message>
        <source>Volume to draw</source>
        <translation>抽取体积</translation>
    </message>
    <message>
        <source>Diluent</source>
        <translation>溶媒</translation>
    </message>
    <message>
        <source>Final concentration</source>
        <translation>终浓度</translation>
    </message>
    <message>
        <source>Rate</source>
        <translation>输注速度</translation>
    </message>
    <message>
        <source>Set and handling</source>
        <translation>输液器与操作要求</translation>
    </message>
    <message>
        <source>Use within</source>
        <translation>配制后使用时限</translation>
    </message>
    <message>
        <source>Checks</source>
        <translation>核查</translation>
    </message>
    <message>
        <source>Print &amp;bag label…</source>
        <translation>打印输液袋标签(&amp;B)…</translation>
    </message>
    <message>
        <source>No bag label: select a dose line that can be prepared.</source>
        <translation>无输液袋标签：请选择一条可以配制的剂量行。</translation>
    </message>
    <message>
        <source>No bag label: taken by mouth, nothing is prepared.</source>
        <translation>无输液袋标签：口服给药，无需配制。</translation>
    </message>
    <message>
        <source>No bag label: a blocked preparation gets no label ({0}).</source>
        <translation>无输液袋标签：配制被阻止（BLOCK）时不打印标签（{0}）。</translation>
    </message>
    <message>
        <source>No bag label yet: save the order first (a label prints the saved order&apos;s dose).</source>
        <translation>暂无输液袋标签：请先保存医嘱（标签打印的是已保存医嘱的剂量）。</translation>
    </message>
    <message>
        <source>Print preview of this line&apos;s bag label</source>
        <translation>打印预览本行的输液袋标签</translation>
    </message>
    <message>
        <source>Select a dose line to see how it is prepared.</source>
        <translation>请选择一条剂量行以查看配制方法。</translation>
    </message>
    <message>
        <source>Cannot be prepared: {0}</source>
        <translation>无法配制：{0}</translation>
    </message>
    <message>
        <source>Oral: dispensed, nothing to prepare.</source>
        <translation>口服：直接发药，无需配制。</translation>
    </message>
    <message>
        <source> — one each day, on {0} days</source>
        <translation> — 每天一份，共 {0} 天</translation>
    </message>
    <message>
        <source>waste {0}</source>
        <translation>损耗 {0}</translation>
    </message>
    <message>
        <source>; {0} kept in a multi-dose vial</source>
        <translation>；{0} 保留在多剂量瓶中</translation>
    </message>
    <message>
        <source>total {0}</source>
        <translation>合计 {0}</translation>
    </message>
    <message>
        <source>none: undiluted bolus</source>
        <translation>无：不稀释推注</translation>
    </message>
    <message>
        <source>{0} over {1} (rate × duration checked)</source>
        <translation>{0}，输注 {1}（已核对 速度 × 时长）</translation>
    </message>
    <message>
        <source>not calculated: see the checks</source>
        <translation>未计算：见核查</translation>
    </message>
    <message>
        <source>{0} of preparation, {1}</source>
        <translation>配制后 {0} 内，{1}</translation>
    </message>
    <message>
        <source>not in the catalogue</source>
        <translation>药品目录中无此项</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>UNCONFIRMED against the product label: {0}</source>
        <translation>未经说明书核实：{0}</translation>
    </message>
    <message>
        <source>{0} (undiluted; range not applied)</source>
        <translation>{0}（未稀释；不适用浓度范围）</translation>
    </message>
    <message>
        <source>⚠ {0} — NOT CHECKED: no stable range in the catalogue</source>
        <translation>⚠ {0} — 未核查：药品目录中无稳定浓度范围</translation>
    </message>
    <message>
        <source>✔ {0} — in range ({1})</source>
        <translation>✔ {0} — 在范围内（{1}）</translation>
    </message>
    <message>
        <source>✖ {0} — OUT OF RANGE ({1})</source>
        <translation>✖ {0} — 超出范围（{1}）</translation>
    </message>
    <message>
        <source>infusion bag</source>
        <translation>输液袋</translation>
    </message>
    <message>
        <source>ambulatory pump</source>
        <translation>便携式输液泵</translation>
    </message>
    <message>
        <source>syringe (undiluted bolus)</source>
        <translation>注射器（不稀释推注）</translation>
    </message>
    <message>
        <source>none: dispensed, not prepared</source>
        <translation>无：直接发药，无需配制</translation>
    </message>
</context>
<context>
    <name>PrintCalendar</name>
    <message>
        <source> (doses not verified)</source>
        <extracomment>What a day without treatment says (medication-safety K5), and the check before each cycle (English source texts; printed in the patient&apos;s language).</extracomment>
        <translation>（剂量未核对）</translation>
    </message>
    <message>
        <source> (expected doses)</source>
        <translation>（预计剂量）</translation>
    </message>
    <message>
        <source>the whole plan</source>
        <translation>整个方案</translation>
    </message>
    <message>
        <source>{phase} cycle {cycle}</source>
        <translation>{phase} 第{cycle}周期</translation>
    </message>
    <message>
        <source>covers the whole plan, {span}</source>
        <translation>涵盖整个方案，{span}</translation>
    </message>
    <message>
        <source>covers {span} only</source>
        <translation>仅涵盖 {span}</translation>
    </message>
    <message>
        <source>valid only for {phase}, {span}</source>
        <translation>仅适用于{phase}，{span}</translation>
    </message>
    <message>
        <source>valid only for {label} starting {date}</source>
        <translation>仅适用于{label}（{date}开始）</translation>
    </message>
    <message>
        <source>{first} to {last}</source>
        <translation>{first}至{last}</translation>
    </message>
    <message>
        <source> dose to be calculated</source>
        <translation> 剂量待计算</translation>
    </message>
    <message>
        <source>intravenous</source>
        <translation>静脉输注</translation>
    </message>
    <message>
        <source>oral</source>
        <translation>口服</translation>
    </message>
    <message>
        <source>hepatic intra-arterial</source>
        <translation>肝动脉灌注</translation>
    </message>
    <message>
        <source>{route} over {duration}</source>
        <translation>{route}，{duration}</translation>
    </message>
    <message>
        <source>cycle {cycle}, </source>
        <translation>第{cycle}周期，</translation>
    </message>
    <message>
        <source>day {day}</source>
        <translation>第{day}天</translation>
    </message>
    <message>
        <source>not on this calendar</source>
        <translation>不在本日历范围内</translation>
    </message>
    <message>
        <source>Radiotherapy: fraction {fraction} of {total}</source>
        <translation>放疗：第{fraction}次（共{total}次）</translation>
    </message>
    <message>
        <source>Check: {note}</source>
        <translation>检查：{note}</translation>
    </message>
    <message>
        <source>see your team</source>
        <translation>请咨询您的医护团队</translation>
    </message>
    <message>
        <source>Local treatment: {note}</source>
        <translation>局部治疗：{note}</translation>
    </message>
    <message>
        <source>Moved here from {date}</source>
        <translation>由{date}调整至此</translation>
    </message>
    <message>
        <source>Clinic closed: {reason}</source>
        <translation>门诊停诊：{reason}</translation>
    </message>
    <message>
        <source>Working day (weekend adjusted)</source>
        <translation>调休工作日</translation>
    </message>
    <message>
        <source>Phase: {phase}</source>
        <translation>阶段：{phase}</translation>
    </message>
    <message>
        <source>VERIFIED: every dose is from a verified order (order {orders})</source>
        <translation>已核对：所有剂量均来自已核对的医嘱（医嘱 {orders}）</translation>
    </message>
    <message>
        <source>VERIFIED: every dose is from a verified order (orders {orders})</source>
        <translation>已核对：所有剂量均来自已核对的医嘱（医嘱 {orders}）</translation>
    </message>
    <message>
        <source>NOT VERIFIED: no cycle on this calendar has a verified order</source>
        <translation>未核对：本日历中没有任何周期有已核对的医嘱</translation>
    </message>
    <message>
        <source>NOT VERIFIED: {count} of {total} cycles have no verified order</source>
        <translation>未核对：{total}个周期中有{count}个没有已核对的医嘱</translation>
    </message>
    <message>
        <source>Treatment calendar ({label})</source>
        <translation>治疗日历（{label}）</translation>
    </message>
    <message>
        <source>plan #{id}</source>
        <translation>方案 #{id}</translation>
    </message>
    <message>
        <source>If a dose is missed or vomited, do not take an extra dose; call the 24-hour number.</source>
        <translation>如漏服或服药后呕吐，不要补服；请拨打24小时电话。</translation>
    </message>
    <message>
        <source>not set in DoseCalc — write the ward&apos;s number here before handing this calendar over:</source>
        <translation>DoseCalc 中未设置 — 交给患者前请在此填写病房电话：</translation>
    </message>
    <message>
        <source>Rest day: no chemotherapy</source>
        <translation>休息日：无化疗</translation>
    </message>
    <message>
        <source>No treatment that day.</source>
        <translation>当天无治疗。</translation>
    </message>
    <message>
        <source>Blood tests first</source>
        <translation>先抽血化验</translation>
    </message>
    <message>
        <source>Blood count, liver and kidney tests before treatment. Treatment goes ahead only if the results allow it.</source>
        <translation>治疗前查血常规、肝肾功能。结果允许时才进行治疗。</translation>
    </message>
    <message>
        <source>(expected doses)</source>
        <translation>（预计剂量）</translation>
    </message>
    <message>
        <source>Calculated from your latest measurements. Your team checks each dose before the cycle; it may change.</source>
        <translation>根据您最近的测量值计算。每个周期前医护团队会核对剂量，剂量可能调整。</translation>
    </message>
    <message>
        <source>(doses not verified)</source>
        <translation>（剂量未核对）</translation>
    </message>
    <message>
        <source>Calculated and saved, but not yet checked by a second pharmacist.</source>
        <translation>已计算并保存，但尚未经第二位药师核对。</translation>
    </message>
    <message>
        <source>Radiotherapy: fraction 3 of 28</source>
        <translation>放疗：第3次（共28次）</translation>
    </message>
    <message>
        <source>Your third radiotherapy treatment of 28.</source>
        <translation>28次放疗中的第3次。</translation>
    </message>
    <message>
        <source>Moved here from …</source>
        <translation>由…调整至此</translation>
    </message>
    <message>
        <source>The treatment was moved from that date (the clinic was closed or the cycle was delayed).</source>
        <translation>治疗由该日期调整过来（因门诊停诊或周期推迟）。</translation>
    </message>
    <message>
        <source>Clinic closed: …</source>
        <translation>门诊停诊：…</translation>
    </message>
    <message>
        <source>The clinic is closed that day (diagonal lines).</source>
        <translation>当天门诊停诊（斜线标示）。</translation>
    </message>
    <message>
        <source>A day outside the dates this calendar covers (grey).</source>
        <translation>不在本日历涵盖日期内的日子（灰色）。</translation>
    </message>
    <message>
        <source>radiotherapy {total} in {fractions} fractions</source>
        <translation>放疗 {total}，分{fractions}次</translation>
    </message>
    <message>
        <source>every {days} days; {rule}</source>
        <translation>每{days}天；{rule}</translation>
    </message>
    <message>
        <source>Phase</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>Dates</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Cycles</source>
        <translation>周期</translation>
    </message>
    <message>
        <source>Treatment</source>
        <translation>治疗</translation>
    </message>
    <message>
        <source>Blood tests before each cycle</source>
        <translation>每个周期前的抽血化验</translation>
    </message>
    <message>
        <source>Before every cycle you have blood tests: blood count, liver and kidney tests. Come on the day shown, before treatment; your team decides from the results whether treatment goes ahead.</source>
        <translation>每个周期前都要抽血化验：血常规、肝功能和肾功能。请在标示的日期、治疗前来院；医护团队根据结果决定是否进行治疗。</translation>
    </message>
    <message>
        <source>No cycle starts within the dates of this calendar.</source>
        <translation>本日历日期内没有周期开始。</translation>
    </message>
    <message>
        <source>Cycle</source>
        <translation>周期</translation>
    </message>
    <message>
        <source>Blood tests on</source>
        <translation>抽血日期</translation>
    </message>
    <message>
        <source>Medicines to prevent or treat side effects</source>
        <translation>预防或治疗副作用的药物</translation>
    </message>
    <message>
        <source>Before {drug}: </source>
        <translation>{drug}给药前：</translation>
    </message>
    <message>
        <source>With {drug}, when needed: </source>
        <translation>与{drug}同用，必要时：</translation>
    </message>
    <message>
        <source>The regimen lists none. Your team will tell you about any medicine you need.</source>
        <translation>方案未列出。如需用药，医护团队会告诉您。</translation>
    </message>
    <message>
        <source>Take these medicines exactly as your team prescribes them; ask if you are unsure when or how to take them.</source>
        <translation>请严格按医护团队的处方用药；如不清楚何时或如何用药，请询问。</translation>
    </message>
    <message>
        <source>Tablets or capsules at home: </source>
        <translation>在家服用的片剂或胶囊：</translation>
    </message>
    <message>
        <source>take them at the times your team gives you, swallowed whole with water. Keep them in their original pack, dry and out of the reach of children; give unused ones back to the pharmacy.</source>
        <translation>请按医护团队告知的时间用水整粒吞服。药品保存在原包装内，保持干燥，放在儿童接触不到的地方；未用完的药品请交回药房。</translation>
    </message>
    <message>
        <source>About this calendar</source>
        <translation>关于本日历</translation>
    </message>
    <message>
        <source>Treatment: </source>
        <translation>治疗：</translation>
    </message>
    <message>
        <source>{name} ({regimen} version {version}).</source>
        <translation>{name}（{regimen} 版本 {version}）。</translation>
    </message>
    <message>
        <source>This calendar: </source>
        <translation>本日历：</translation>
    </message>
    <message>
        <source>{what}, from plan #{plan} starting {start}. Each dose is the dose for one administration.</source>
        <translation>{what}，来自方案 #{plan}（{start}开始）。每个剂量均为单次给药剂量。</translation>
    </message>
    <message>
        <source>{label}, {first} to {last}</source>
        <translation>{label}，{first}至{last}</translation>
    </message>
    <message>
        <source>24-hour contact number: </source>
        <translation>24小时联系电话：</translation>
    </message>
    <message>
        <source>If you cannot come to a treatment or blood test appointment, call the 24-hour number to arrange a new date. Call it at once, day or night, if you have a fever or shivers, feel suddenly unwell, bleed or bruise easily, or have diarrhoea or vomiting that does not stop.</source>
        <translation>如不能按约来治疗或抽血，请拨打24小时电话另约日期。如出现发热或寒战、突然感到不适、容易出血或瘀青、腹泻或呕吐不止，无论白天黑夜请立即拨打。</translation>
    </message>
    <message>
        <source>Words on the calendar</source>
        <translation>日历用语说明</translation>
    </message>
    <message>
        <source>Phases</source>
        <translation>治疗阶段</translation>
    </message>
</context>
<context>
    <name>PrintFrame</name>
    <message>
        <source>DRAFT — NOT VERIFIED — NOT FOR ADMINISTRATION</source>
        <translation>草稿 — 未核对 — 不得用于给药</translation>
    </message>
    <message>
        <source>DRAFT — NOT VERIFIED —</source>
        <extracomment>The diagonal DRAFT words, two lines (the banner in the header says WATERMARK in full).</extracomment>
        <translation>草稿 — 未核对 —</translation>
    </message>
    <message>
        <source>NOT FOR ADMINISTRATION</source>
        <translation>不得用于给药</translation>
    </message>
    <message>
        <source>Page {number} of {total}</source>
        <translation>第{number}页，共{total}页</translation>
    </message>
    <message>
        <source>· Hospital number {number}</source>
        <translation>· 住院号 {number}</translation>
    </message>
    <message>
        <source>· Born {date}</source>
        <translation>· 出生 {date}</translation>
    </message>
    <message>
        <source> · Regimen {regimen} · Status: </source>
        <translation> · 方案 {regimen} · 状态：</translation>
    </message>
    <message>
        <source>Printed {date} {time}</source>
        <translation>打印于 {date} {time}</translation>
    </message>
    <message>
        <source> by {user} · </source>
        <translation>，打印人 {user} · </translation>
    </message>
    <message>
        <source>current only when printed</source>
        <translation>仅在打印时有效</translation>
    </message>
    <message>
        <source> · DEMO: invented patient, never for treatment</source>
        <translation> · 演示：虚构患者，切勿用于治疗</translation>
    </message>
    <message>
        <source>(continued)</source>
        <translation>（续）</translation>
    </message>
    <message>
        <source> (continued)</source>
        <translation>（续）</translation>
    </message>
</context>
<context>
    <name>Printing</name>
    <message>
        <source>Print: select a patient and sign in first</source>
        <translation>打印：请先选择患者并登录</translation>
    </message>
    <message>
        <source>Printed the calendar: {pages} page(s) ({target})</source>
        <translation>已打印日历：{pages}页（{target}）</translation>
    </message>
    <message>
        <source>Printed the bag label: {pages} page(s) ({target})</source>
        <translation>已打印输液袋标签：{pages}页（{target}）</translation>
    </message>
    <message>
        <source>Printed the order worksheet: {pages} page(s) ({target})</source>
        <translation>已打印医嘱工作单：{pages}页（{target}）</translation>
    </message>
    <message>
        <source>Print preview — {title}</source>
        <translation>打印预览 — {title}</translation>
    </message>
</context>
<context>
    <name>QuantityField</name>
    <message>
        <source>⚠ Error: {message}</source>
        <extracomment>The text changed (whether or not it parses).</extracomment>
        <translation>⚠ 错误：{message}</translation>
    </message>
    <message>
        <source>no value recorded</source>
        <translation>无记录数值</translation>
    </message>
    <message>
        <source>cleared — not saved</source>
        <translation>已清除 — 未保存</translation>
    </message>
    <message>
        <source>new value — not saved</source>
        <translation>新数值 — 未保存</translation>
    </message>
    <message>
        <source>measured {date}</source>
        <translation>测量于 {date}</translation>
    </message>
    <message>
        <source>STATED</source>
        <translation>自述</translation>
    </message>
    <message>
        <source>ESTIMATED</source>
        <translation>估计</translation>
    </message>
    <message>
        <source>{source} (not measured)</source>
        <translation>{source}（非实测）</translation>
    </message>
</context>
<context>
    <name>RegimenPicker</name>
    <message>
        <source>&amp;Find</source>
        <extracomment>The chosen regimen changed (or was cleared).</extracomment>
        <translation>查找(&amp;F)</translation>
    </message>
    <message>
        <source>Re&amp;gimen</source>
        <translation>方案(&amp;G)</translation>
    </message>
    <message>
        <source>name, drug or trial id, in Chinese or English  (Ctrl+F)</source>
        <translation>名称、药物或试验编号，中英文均可（Ctrl+F）</translation>
    </message>
    <message>
        <source>— choose a regimen —</source>
        <translation>— 请选择方案 —</translation>
    </message>
    <message>
        <source>  (selected; not matched by the search)</source>
        <translation>  （已选择；与搜索不匹配）</translation>
    </message>
    <message>
        <source>{count} of {total} regimens match</source>
        <translation>{total}个方案中{count}个匹配</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>CN, CN-GD or none</source>
        <extracomment>(placeholder, tooltip) of each field.</extracomment>
        <translation>CN、CN-GD 或 none</translation>
    </message>
    <message>
        <source>A country code (CN), with a subdivision (CN-GD), or none</source>
        <translation>国家代码（CN），可加地区（CN-GD），或 none</translation>
    </message>
    <message>
        <source>e.g. 5%</source>
        <translation>如 5%</translation>
    </message>
    <message>
        <source>A percentage up to the HOPA ceiling of 10 %</source>
        <translation>百分比，不超过 HOPA 上限 10 %</translation>
    </message>
    <message>
        <source>none, or e.g. 0.7 mg/dL</source>
        <translation>none，或如 0.7 mg/dL</translation>
    </message>
    <message>
        <source>Applied to Cockcroft–Gault; none, or 0.5–1.5 mg/dL</source>
        <translation>用于 Cockcroft–Gault；none，或 0.5–1.5 mg/dL</translation>
    </message>
    <message>
        <source>e.g. 125 mL/min, or none</source>
        <translation>如 125 mL/min，或 none</translation>
    </message>
    <message>
        <source>The FDA 2010 cap is 125 mL/min</source>
        <translation>FDA 2010 规定的上限为 125 mL/min</translation>
    </message>
    <message>
        <source>e.g. +86 25 1234 5678</source>
        <translation>如 +86 25 1234 5678</translation>
    </message>
    <message>
        <source>The ward&apos;s 24-hour number, printed on every calendar</source>
        <translation>病房24小时电话，印在每份日历上</translation>
    </message>
    <message>
        <source>empty: the SQLite file in your data folder</source>
        <translation>留空：使用数据文件夹中的 SQLite 文件</translation>
    </message>
    <message>
        <source>Empty: the SQLite file in your data folder; or sqlite:///PATH, or postgresql://user@host/db</source>
        <translation>留空：使用数据文件夹中的 SQLite 文件；或 sqlite:///PATH，或 postgresql://user@host/db</translation>
    </message>
    <message>
        <source>Clinic closures (public holidays of)</source>
        <extracomment>The setting names of dosecalc.site.LABELS, as the dialog shows them.</extracomment>
        <translation>门诊停诊（按该地区法定节假日）</translation>
    </message>
    <message>
        <source>Rounding: maximum deviation</source>
        <translation>取整：最大偏差</translation>
    </message>
    <message>
        <source>Creatinine floor</source>
        <translation>肌酐下限</translation>
    </message>
    <message>
        <source>GFR cap (carboplatin)</source>
        <translation>GFR 上限（卡铂）</translation>
    </message>
    <message>
        <source>24-hour contact number (printed on calendars)</source>
        <translation>24小时联系电话（印在日历上）</translation>
    </message>
    <message>
        <source>Database URL</source>
        <translation>数据库 URL</translation>
    </message>
    <message>
        <source>DoseCalc settings (site defaults)</source>
        <translation>DoseCalc 设置（本院默认）</translation>
    </message>
    <message>
        <source>{setting}:</source>
        <translation>{setting}：</translation>
    </message>
    <message>
        <source>the shipped defaults</source>
        <translation>出厂默认值</translation>
    </message>
    <message>
        <source>changed by the site</source>
        <translation>已由本院修改</translation>
    </message>
    <message>
        <source>Plausibility ranges: {limits} (in {path}).</source>
        <translation>合理范围：{limits}（见 {path}）。</translation>
    </message>
    <message>
        <source>A changed database URL takes effect at the next start.</source>
        <translation>更改的数据库 URL 在下次启动时生效。</translation>
    </message>
    <message>
        <source>These are the ward&apos;s settings, in {0}. Only an administrator of this PC can change them.</source>
        <translation>这些是病区的设置，保存在 {0}。只有本机管理员可以修改。</translation>
    </message>
    <message>
        <source>Restore defaults</source>
        <translation>恢复默认</translation>
    </message>
    <message>
        <source>(default)</source>
        <translation>（默认）</translation>
    </message>
    <message>
        <source>(changed; default: {default})</source>
        <translation>（已更改；默认：{default}）</translation>
    </message>
    <message>
        <source>not set</source>
        <translation>未设置</translation>
    </message>
    <message>
        <source>⚠ Error: {message}</source>
        <translation>⚠ 错误：{message}</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <source>Sign in to DoseCalc</source>
        <translation>登录 DoseCalc</translation>
    </message>
    <message>
        <source>This record store holds only the demonstration. Open it, or create the first administrator to start work with real patients.</source>
        <translation>此记录库只有演示数据。请打开演示，或创建第一位管理员以开始处理真实患者。</translation>
    </message>
    <message>
        <source>This record store has no users yet. Create its first administrator, or open the demonstration: an invented patient, marked DEMO, with a full NCT07016737 plan.</source>
        <translation>此记录库还没有用户。请创建第一位管理员，或打开演示：一位标有“演示”的虚构患者，带完整的 NCT07016737 方案。</translation>
    </message>
    <message>
        <source>This record store has no administrator yet. Create the first administrator.</source>
        <translation>此记录库还没有管理员。请创建第一位管理员。</translation>
    </message>
    <message>
        <source>Sign in with your DoseCalc user name and password.</source>
        <translation>请使用您的 DoseCalc 用户名和密码登录。</translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation>用户名(&amp;U)：</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;Full name:</source>
        <translation>姓名(&amp;F)：</translation>
    </message>
    <message>
        <source>&amp;Repeat the password:</source>
        <translation>再次输入密码(&amp;R)：</translation>
    </message>
    <message>
        <source>&amp;Sign in</source>
        <translation>登录(&amp;S)</translation>
    </message>
    <message>
        <source>Create the first &amp;administrator…</source>
        <translation>创建第一位管理员(&amp;A)…</translation>
    </message>
    <message>
        <source>Open the &amp;demonstration</source>
        <translation>打开演示(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>⚠ Error: {message}</source>
        <translation>⚠ 错误：{message}</translation>
    </message>
    <message>
        <source>Create the &amp;administrator</source>
        <translation>创建管理员(&amp;A)</translation>
    </message>
    <message>
        <source>DoseCalc cannot open the record store</source>
        <translation>DoseCalc 无法打开记录库</translation>
    </message>
</context>
<context>
    <name>Startup</name>
    <message>
        <source>DoseCalc could not start</source>
        <translation>DoseCalc 无法启动</translation>
    </message>
    <message>
        <source>DoseCalc cannot load the regimen library</source>
        <translation>DoseCalc 无法加载方案库</translation>
    </message>
</context>
<context>
    <name>VerifyDialog</name>
    <message>
        <source>Verify order #{id}</source>
        <extracomment>The dosing policies a plan pins, by the names the command line and the plan record use.</extracomment>
        <translation>核对医嘱 #{id}</translation>
    </message>
    <message>
        <source>Verifier (the second person: sign in with your own name)</source>
        <translation>核对人（第二人：请使用您本人的账号登录）</translation>
    </message>
    <message>
        <source>&amp;User name</source>
        <translation>用户名(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Password</source>
        <translation>密码(&amp;P)</translation>
    </message>
    <message>
        <source>Blind re-entry: type the values from the source record (the first entry is not shown)</source>
        <translation>盲法重录：请根据原始记录输入数值（不显示第一次录入的值）</translation>
    </message>
    <message>
        <source>&amp;Height</source>
        <translation>身高(&amp;H)</translation>
    </message>
    <message>
        <source>e.g. 170 cm or 1.7 m</source>
        <translation>如 170 cm 或 1.7 m</translation>
    </message>
    <message>
        <source>&amp;Weight</source>
        <translation>体重(&amp;W)</translation>
    </message>
    <message>
        <source>e.g. 65 kg</source>
        <translation>如 65 kg</translation>
    </message>
    <message>
        <source>C&amp;reatinine</source>
        <translation>血肌酐(&amp;R)</translation>
    </message>
    <message>
        <source>e.g. 80 µmol/L or 0.9 mg/dL</source>
        <translation>如 80 µmol/L 或 0.9 mg/dL</translation>
    </message>
    <message>
        <source>Recalculate and &amp;sign</source>
        <translation>重新计算并签名(&amp;S)</translation>
    </message>
    <message>
        <source>regimen {regimen} v{version} is not in the regimen library; this order cannot be recalculated here</source>
        <translation>方案 {regimen} v{version} 不在方案库中；无法在此重新计算该医嘱</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>the site defaults</source>
        <translation>本院默认</translation>
    </message>
    <message>
        <source>{number} · born {born} · {sex}</source>
        <translation>{number} · 出生 {born} · {sex}</translation>
    </message>
    <message>
        <source>Order #{id}: {regimen} v{version}, phase {phase}, cycle {cycle}</source>
        <translation>医嘱 #{id}：{regimen} v{version}，阶段 {phase}，第{cycle}周期</translation>
    </message>
    <message>
        <source>Choices: {choices}</source>
        <translation>选项：{choices}</translation>
    </message>
    <message>
        <source>Policies: {policies}</source>
        <translation>剂量规则：{policies}</translation>
    </message>
    <message>
        <source>correct the {fields} marked above first</source>
        <translation>请先更正上方标出的{fields}</translation>
    </message>
    <message>
        <source>Your recalculation: {doses}</source>
        <translation>您的重新计算：{doses}</translation>
    </message>
    <message>
        <source>no dose lines</source>
        <translation>无剂量行</translation>
    </message>
    <message>
        <source>Order #{id} verified by {user}</source>
        <translation>医嘱 #{id} 已由 {user} 核对</translation>
    </message>
    <message>
        <source>verification was refused</source>
        <translation>核对被拒绝</translation>
    </message>
    <message>
        <source>⚠ Not signed: {reason}</source>
        <translation>⚠ 未签名：{reason}</translation>
    </message>
</context>
</TS>
