// Interface text in Chinese and English. Only the interface is translated: the plan's own text (titles,
// body, evidence) is always shown as the plan has it.
const TEXT = {
  plans: ["规划", "Plans"],
  search: ["搜索", "Search"],
  bodies: ["机构", "Bodies"],
  queries: ["查询", "Queries"],
  console: ["Cypher 控制台", "Cypher console"],
  docs: ["API 文档", "API docs"],
  language: ["English", "中文"],
  title: ["标题", "Title"],
  issuer: ["发布机关", "Issuer"],
  issued: ["发布日期", "Issued"],
  period: ["规划期", "Period"],
  counts: ["要素", "Elements"],
  links: ["链接", "Links"],
  outline: ["目录", "Outline"],
  goals: ["目标", "Goals"],
  indicators: ["指标", "Indicators"],
  export: ["导出", "Export"],
  expand: ["全部展开", "Expand all"],
  collapse: ["全部折叠", "Collapse all"],
  warnings: ["解析提示", "Parser warnings"],
  unplaced: ["未归属到要素的提示", "Warnings not placed at an element"],
  no_warnings_source: ["存储中没有该规划的解析提示（早期版本载入）：用 plangraph add 重新载入", "The store holds no parser warnings for this plan (loaded by an earlier version): add it again with plangraph add"],
  truncated: ["结果已截断（行数上限）", "Truncated (row cap)"],
  kind: ["类型", "Kind"],
  page: ["页", "Page"],
  lines: ["行", "Lines"],
  chars: ["字符", "Characters"],
  plan: ["规划", "Plan"],
  source: ["原文", "Source text"],
  source_missing: ["本服务没有该规划的源文件；下面是要素自身的文字", "This service has no source file of the plan; the element's own text follows"],
  neighbours: ["相邻节点", "Neighbours"],
  inferred: ["推断关系", "Inferred links"],
  none: ["无", "None"],
  score: ["得分", "Score"],
  rank: ["名次", "Rank"],
  method: ["方法", "Method"],
  evidence: ["证据", "Evidence"],
  terms: ["共同词语", "Shared terms"],
  this_text: ["本要素文字", "This element's text"],
  other_text: ["对方文字", "The other end's text"],
  cite: ["引用", "Cite"],
  permalink: ["永久链接", "Permalink"],
  copy: ["复制", "Copy"],
  tasks: ["任务", "Tasks"],
  actions: ["行动", "Actions"],
  columns: ["专栏", "Boxed programmes"],
  serving: ["服务该目标的要素", "What serves this goal"],
  baseline: ["基期值", "Baseline"],
  target: ["目标值", "Target"],
  unit: ["单位", "Unit"],
  year: ["年份", "Year"],
  category: ["类别", "Category"],
  attribute: ["属性", "Attribute"],
  download_csv: ["下载 CSV", "Download CSV"],
  download_json: ["下载 JSON", "Download JSON"],
  name: ["名称", "Name"],
  elements: ["要素数", "Elements"],
  mentions: ["提及次数", "Mentions"],
  role: ["职责", "Role"],
  filter: ["筛选", "Filter"],
  go: ["确定", "Go"],
  results: ["结果", "Results"],
  no_results: ["没有结果", "No results"],
  match_title: ["标题匹配", "title match"],
  match_text: ["正文匹配", "text match"],
  run: ["运行", "Run"],
  parameters: ["参数", "Parameters"],
  reproduce: ["可复现此结果的链接", "A link that reproduces this result"],
  table: ["表格", "Table"],
  graph: ["图", "Graph"],
  read_only: ["只读：写操作、模式变更和管理命令会被拒绝，时间和行数上限与 POST /cypher 相同", "Read-only: writes, schema changes and admin commands are refused, under the same time limit and row cap as POST /cypher"],
  refused: ["查询被拒绝", "Query refused"],
  error: ["出错了", "Error"],
  what_to_do: ["怎么办：", "What to do: "],
  not_found: ["没有这个视图", "No such view"],
  no_query: ["查询库中没有这个查询", "No such query in the library"],
  rows: ["行", "rows"],
  export_png: ["导出 PNG", "Export PNG"],
  export_svg: ["导出 SVG", "Export SVG"],
  export_subgraph: ["导出子图", "Export the subgraph"],
  with_neighbours: ["含相邻节点", "with neighbours"],
  graph_empty: ["结果中没有节点（返回节点，或名为 eid 的列）", "No nodes in the result (return nodes, or columns named …eid)"],
  confidence_low: ["置信度低", "low confidence"],
  confidence_high: ["置信度高", "high confidence"],
  confidence_note: ["置信度低：排名前两位的目标得分接近", "Low confidence: the best two goals score close to each other"],
  page_n: ["第 {} 页", "p. {}"],
};

/** Values of the store shown in the interface's words (a value not listed is shown as it is). */
const NAMES = {
  // node labels (graph/schema.py)
  kinds: {
    Plan: ["规划", "Plan"], Part: ["篇", "Part"], Section: ["章节", "Section"], Achievement: ["发展成就", "Achievement"],
    Goal: ["目标", "Goal"], Indicator: ["指标", "Indicator"], Principle: ["原则", "Principle"], Direction: ["主攻方向", "Direction"],
    Task: ["任务", "Task"], Action: ["行动", "Action"], Measure: ["保障措施", "Measure"], Subtask: ["子任务", "Subtask"],
    Column: ["专栏", "Boxed programme"], ColumnItem: ["专栏条目", "Programme item"], ActionItem: ["行动条目", "Action item"], Target: ["行动目标", "Target"],
    Table: ["表格", "Table"], Body: ["机构", "Body"], Technology: ["技术", "Technology"], Region: ["地区", "Region"],
    Document: ["文件", "Document"], Initiative: ["工程举措", "Initiative"], Metric: ["度量", "Metric"],
  },
  roles: { lead: ["牵头", "leads"], coordinate: ["协调", "coordinates"], implement: ["实施", "implements"], supervise: ["监督", "supervises"] },
  // a link's source
  sources: { inferred: ["推断", "inferred"], curated: ["人工标注", "curated"] },
};

let current = localStorage.getItem("plangraph.lang") === "en" ? 1 : 0;

export const t = (key) => (TEXT[key] ? TEXT[key][current] : key);
export const lang = () => (current ? "en" : "zh-Hans");

export function toggle() {
  current = 1 - current;
  localStorage.setItem("plangraph.lang", current ? "en" : "zh");
  document.documentElement.lang = lang();
}

function named(table, value) {
  const words = Object.hasOwn(NAMES[table], value) ? NAMES[table][value] : null;
  return words ? words[current] : value || "";
}

export const role = (name) => named("roles", name);
/** A node label (Task, Column …) in the interface's language. */
export const kind = (label) => named("kinds", label);
/** A link's source (inferred, curated) in the interface's language. */
export const source = (value) => named("sources", value);
/** "p. 5" / "第 5 页". */
export const pageNo = (n) => t("page_n").replace("{}", n);

/** A field the API gives in both languages (``title`` and ``title_zh`` of a canned query …), in the
 * interface's language. */
export const localized = (obj, field) => (current ? obj[field] : obj[`${field}_zh`] || obj[field]);

/** Runs of the other language's script in interface prose: identifiers and code in Chinese text
 * (``eid``, ``graph/refs.py``), the genre's terms in English text (专栏, 重大任务). */
export const otherScript = () => (current ? /[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]+/g : /[A-Za-z][\w$/.()'-]*/g);
