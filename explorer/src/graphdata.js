// A query result as a graph: every cell that is a node (an object with an eid) or an eid string is a node;
// within a row, consecutive nodes are joined, named by the relationship cell between them when there is one.

const isEid = (v) => typeof v === "string" && /^[\w.-]+\/[\w./-]+$/.test(v);

export function toGraph(res) {
  const nodes = new Map();
  const edges = new Map();
  for (const row of res.rows) {
    let last = null;
    let rel = null;
    for (const v of row) {
      if (v && typeof v === "object" && !Array.isArray(v) && v._type) { rel = v._type; continue; }
      const node = v && typeof v === "object" && v.eid ? v : isEid(v) ? { eid: v } : null;
      if (!node) continue;
      const old = nodes.get(node.eid);
      if (!old || (!old.title && node.title)) {
        nodes.set(node.eid, { id: node.eid, label: node.title || node.eid, kind: node._label || kindOf(node.eid) });
      }
      if (last && last !== node.eid) {
        const id = `${last}|${rel || ""}|${node.eid}`;
        edges.set(id, { id, source: last, target: node.eid, label: rel || "" });
      }
      last = node.eid;
      rel = null;
    }
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}

function kindOf(eid) {
  const last = eid.split("/").pop();
  return last.replace(/-\d+$/, "");
}
