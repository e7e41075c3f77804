/* Configuration builder (docs/builder.md).
 *
 * Applies what macros/builder.py exported into the page (#gp-builder-data): validation specs,
 * lists with the values the rules computed for each item, the platforms and their options, and
 * the parts' outputs as templates (the rules' own outputs and the checker's findings, for
 * sentinel values): it checks the fields, picks each active part's variant, fills it and puts
 * the parts together, exactly as macros/builder.py's evaluate() does. No host, suffix, endpoint
 * or finding is computed here. The helpers below reproduce Python's *semantics* the messages
 * depend on (repr(), len(), str.strip(), difflib.get_close_matches), nothing else.
 */
(function () {
  "use strict";

  /* --- Python semantics ----------------------------------------------------------------- */

  const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

  function hex(n, width) {
    return n.toString(16).padStart(width, "0");
  }

  /** Python's repr() of a str. */
  function pyRepr(s) {
    const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
    let out = quote;
    for (const ch of s) {
      const cp = ch.codePointAt(0);
      if (ch === quote || ch === "\\") out += "\\" + ch;
      else if (ch === "\t") out += "\\t";
      else if (ch === "\n") out += "\\n";
      else if (ch === "\r") out += "\\r";
      else if (cp < 0x20 || cp === 0x7f) out += "\\x" + hex(cp, 2);
      else if (cp < 0x7f || !NOT_PRINTABLE.test(ch)) out += ch;
      else if (cp <= 0xff) out += "\\x" + hex(cp, 2);
      else if (cp <= 0xffff) out += "\\u" + hex(cp, 4);
      else out += "\\U" + hex(cp, 8);
    }
    return out + quote;
  }

  /** Python's len() of a str: code points. */
  function pyLen(s) {
    return Array.from(s).length;
  }

  function ratio(matches, length) {
    return length ? (2.0 * matches) / length : 1.0;
  }

  /** difflib.SequenceMatcher(None, a, b): the total size of the matching blocks. */
  function matchingTotal(a, b, b2j) {
    function longest(alo, ahi, blo, bhi) {
      let besti = alo;
      let bestj = blo;
      let bestsize = 0;
      let j2len = new Map();
      for (let i = alo; i < ahi; i++) {
        const next = new Map();
        for (const j of b2j.get(a[i]) || []) {
          if (j < blo) continue;
          if (j >= bhi) break;
          const k = (j2len.get(j - 1) || 0) + 1;
          next.set(j, k);
          if (k > bestsize) {
            besti = i - k + 1;
            bestj = j - k + 1;
            bestsize = k;
          }
        }
        j2len = next;
      }
      while (besti > alo && bestj > blo && a[besti - 1] === b[bestj - 1]) {
        besti--;
        bestj--;
        bestsize++;
      }
      while (besti + bestsize < ahi && bestj + bestsize < bhi &&
             a[besti + bestsize] === b[bestj + bestsize]) {
        bestsize++;
      }
      return [besti, bestj, bestsize];
    }
    const queue = [[0, a.length, 0, b.length]];
    let total = 0;
    while (queue.length) {
      const [alo, ahi, blo, bhi] = queue.pop();
      const [i, j, k] = longest(alo, ahi, blo, bhi);
      if (k) {
        total += k;
        if (alo < i && blo < j) queue.push([alo, i, blo, j]);
        if (i + k < ahi && j + k < bhi) queue.push([i + k, ahi, j + k, bhi]);
      }
    }
    return total;
  }

  /** difflib.get_close_matches(word, possibilities, n, cutoff). */
  function closeMatches(word, possibilities, n, cutoff) {
    const b = Array.from(word);
    const b2j = new Map();
    const fullbcount = new Map();
    b.forEach((elt, i) => {
      if (!b2j.has(elt)) b2j.set(elt, []);
      b2j.get(elt).push(i);
      fullbcount.set(elt, (fullbcount.get(elt) || 0) + 1);
    });
    if (b.length >= 200) {
      const ntest = Math.floor(b.length / 100) + 1;
      for (const [elt, idxs] of Array.from(b2j)) if (idxs.length > ntest) b2j.delete(elt);
    }
    const result = [];
    for (const x of possibilities) {
      const a = Array.from(x);
      const length = a.length + b.length;
      if (ratio(Math.min(a.length, b.length), length) < cutoff) continue;
      const avail = new Map();
      let quick = 0;
      for (const elt of a) {
        const numb = avail.has(elt) ? avail.get(elt) : fullbcount.get(elt) || 0;
        avail.set(elt, numb - 1);
        if (numb > 0) quick++;
      }
      if (ratio(quick, length) < cutoff) continue;
      const score = ratio(matchingTotal(a, b, b2j), length);
      if (score >= cutoff) result.push([score, x]);
    }
    result.sort((p, q) => q[0] - p[0] || (q[1] < p[1] ? -1 : q[1] > p[1] ? 1 : 0));
    return result.slice(0, n).map((p) => p[1]);
  }

  /* --- the exported rules, applied ------------------------------------------------------ */

  /* --- the exported rules, applied (macros/builder.py: evaluate) ------------------------- */

  const COMPONENTS = ["registry", "storage", "database"];
  const YES = "yes";
  const NO = "no";

  function makeBuilder(data) {
    const patterns = new Map();
    function full(pattern) {
      if (!patterns.has(pattern)) patterns.set(pattern, new RegExp("^(?:" + pattern + ")$", "u"));
      return patterns.get(pattern);
    }
    const ws = data.whitespace;
    const edges = new RegExp("^[" + ws + "]+|[" + ws + "]+$", "gu");
    const pool = data.pool;
    const lists = {};
    const items = {};
    for (const [name, groups] of Object.entries(data.lists)) {
      lists[name] = [];
      items[name] = new Map();
      for (const g of groups) {
        for (const item of g.items) {
          lists[name].push(item.value);
          items[name].set(item.value, item);
        }
      }
    }
    const fields = data.fields;
    const fieldBy = new Map(fields.map((f) => [f.param, f]));
    const platforms = new Map(data.platforms.map((p) => [p.id, p]));
    const parts = Object.entries(data.parts).map(([id, p]) => Object.assign({ id }, p));

    function subject(check, value) {
      const sep = check.subject === "before_slash" ? "/" : check.subject === "before_colon" ? ":" : null;
      if (sep === null) return value;
      const i = value.indexOf(sep);
      return i < 0 ? value : value.slice(0, i);
    }

    /** true: fails; false: passes; null: accepted outright (validation.py _fails). */
    function fails(c, s, known) {
      switch (c.kind) {
        case "required": return s === "";
        case "length": { const n = pyLen(s); return !(c.min_len <= n && n <= c.max_len); }
        case "fullmatch": return !full(c.pattern).test(s);
        case "reject": return full(c.pattern).test(s);
        case "contains": return s.includes(c.literal);
        case "prefix": return s.startsWith(c.literal);
        case "suffix": return s.endsWith(c.literal);
        case "lowercase": { const low = s.toLowerCase(); return low !== s && full(c.pattern).test(low); }
        case "lowercase_known": { const low = s.toLowerCase(); return low !== s && known.includes(low); }
        case "known": return known.includes(s) ? null : false;
        case "accept": return full(c.pattern).test(s) ? null : false;
        case "fail": return true;
        default: throw new Error("unknown check kind " + c.kind);
      }
    }

    function byCodePoint(x, y) {
      return x.codePointAt(0) - y.codePointAt(0);
    }

    function closest(cl, s, known) {
      let word = cl.normalize ? s.replace(edges, "").toLowerCase() : s;
      if (cl.rstrip) while (word && cl.rstrip.includes(word.slice(-1))) word = word.slice(0, -1);
      let close = closeMatches(word, known, cl.n, cl.cutoff);
      if (!close.length && cl.fallback_cutoff !== null) {
        close = closeMatches(word, known, cl.n, cl.fallback_cutoff);
      }
      return close.length ? cl.found + close.join(", ") : cl.none;
    }

    function hint(spec, c, s, known) {
      let h = c.hint || "";
      if (c.extract) {
        const lower = s.toLowerCase();
        const found = Array.from(lower.matchAll(new RegExp(c.extract, "gu")), (m) => m[0])
          .find((m) => known.includes(m));
        if (found !== undefined) return c.hint_if_found.replaceAll("{found}", () => pyRepr(found));
      }
      if (c.bad_chars) {
        const re = full(c.bad_chars);
        const bad = Array.from(new Set(Array.from(s).filter((ch) => re.test(ch)))).sort(byCodePoint);
        if (!bad.length) return c.hint_if_none_bad || "";
        h = h.replaceAll("{bad}", () => bad.map(pyRepr).join(" "));
      }
      if (h.includes("{close}")) {
        const text = closest(spec.closest, s, known);
        h = h.replaceAll("{close}", () => text);
      }
      return h
        .replaceAll("{length}", () => String(pyLen(s)))
        .replaceAll("{lower}", () => pyRepr(s.toLowerCase()));
    }

    /** The RuleError message Python raises for this value, or null when it is valid. */
    function check(specName, value, field, known) {
      const spec = data.specs[specName];
      for (const c of spec.checks) {
        const s = subject(c, value);
        const outcome = fails(c, s, known || []);
        if (outcome === null) return null;
        if (outcome) {
          const shown = c.report_subject ? s : value;
          const h = hint(spec, c, s, known || []);
          return field + ": " + pyRepr(shown) + " is not valid; expected " +
            (c.allowed || spec.form) + (h ? " (" + h + ")" : "");
        }
      }
      return null;
    }

    function yamlScalar(v) {
      for (const r of data.yaml_resolvers) {
        const applies = v === "" ? r.empty : r.first.includes(v[0]);
        if (applies && new RegExp(r.pattern).test(v)) return "'" + v.replaceAll("'", "''") + "'";
      }
      return v;
    }

    function fill(template, ctx, yamlValues) {
      return template.replace(/\{\{([a-z_.]+)\}\}/g, (m, name) => {
        if (!(name in ctx)) throw new Error("builder: no value for " + name);
        return yamlValues ? yamlScalar(ctx[name]) : ctx[name];
      });
    }

    /** A tree of pool references, filled (the "yaml" branch quoted as YAML). */
    function fillTree(tree, ctx, yamlValues) {
      if (typeof tree === "number") return fill(pool[tree], ctx, yamlValues);
      if (Array.isArray(tree)) return tree.map((x) => fillTree(x, ctx, yamlValues));
      if (tree && typeof tree === "object") {
        const out = {};
        for (const [k, v] of Object.entries(tree)) out[k] = fillTree(v, ctx, yamlValues || k === "yaml");
        return out;
      }
      return tree;
    }

    function fieldCtx(params, values) {
      const ctx = {};
      for (const param of params) {
        const f = fieldBy.get(param);
        if (f.kind === "check") continue;
        const value = values[param];
        ctx[param] = value;
        for (const [name, [from, to]] of Object.entries(f.derived)) {
          ctx[param + "." + name] = value.replaceAll(from, to);
        }
        if (f.items) {
          for (const [k, v] of Object.entries(items[f.items].get(value).attrs)) ctx[param + "." + k] = v;
        }
      }
      return ctx;
    }

    function activeFields(options) {
      const used = new Set(COMPONENTS.flatMap((c) => data.option_fields[c + ":" + options[c]] || []));
      return fields.filter((f) => used.has(f.param));
    }

    function activeParts(options, values) {
      return parts.filter((p) =>
        Object.entries(p.when).every(([c, opts]) => opts.includes(options[c])) &&
        (!p.requires || check(p.requires[1], values[p.requires[0]], p.requires[0]) === null));
    }

    function variantKey(p, values) {
      const key = [p.select ? values[p.select] : ""];
      for (const c of p.checks) key.push(values[c]);
      for (const f of p.optional) key.push(values[f] === "" ? "1" : "0");
      return key.join("|");
    }

    function withValues(ctx, values) {
      const out = Object.assign({}, ctx);
      for (const [k, v] of Object.entries(values)) out["v." + k] = v;
      return out;
    }

    function assemble(outs) {
      const comp = {};
      for (const c of COMPONENTS) comp[c] = outs.find(([id]) => id.startsWith(c + ":"))[1];
      const sections = new Map();
      for (const c of COMPONENTS) {
        for (const [key, text] of comp[c].yaml) if (!sections.has(key)) sections.set(key, text);
      }
      const order = data.yaml_order.concat(Array.from(sections.keys()).filter((k) => !data.yaml_order.includes(k)).sort());
      const all = (name) => COMPONENTS.flatMap((c) => comp[c][name] || []);
      return {
        kots: COMPONENTS.map((c) => [data.groups[c], comp[c].kots]),
        yaml: order.filter((k) => sections.has(k)).map((k) => sections.get(k)).join(""),
        secrets: all("secrets").concat(all("extra_secrets")),
        nothing: all("nothing"),
        prereqs: outs.map(([, o]) => o.prereq).filter((x) => x),
        findings: all("findings"),
      };
    }

    /** Errors by field, and the outputs when there is none (macros/builder.py: evaluate). */
    function evaluate(state) {
      const errors = {};
      const none = (extra) => Object.assign({ errors, outputs: null, options: null, fields: [] }, extra);
      const platformId = state.platform === undefined ? data.platforms[0].id : state.platform;
      const m = check("platform", platformId, "platform", Array.from(platforms.keys()));
      if (m) { errors.platform = m; return none(); }
      const plat = platforms.get(platformId);
      const options = {};
      for (const c of COMPONENTS) {
        options[c] = state[c] === undefined ? plat[c][0] : state[c];
        const e = check(plat.id + "_" + c, options[c], c, plat[c]);
        if (e) errors[c] = e;
      }
      if (Object.keys(errors).length) return none();
      if (!data.options.registry[options.registry].supported) {
        return none({ options, unsupported: true, fields: activeFields(options) });
      }
      const active = activeFields(options);
      const values = {};
      for (const f of active) values[f.param] = state[f.param] === undefined ? f.default : state[f.param];
      for (const f of active) {
        let e = null;
        if (f.kind === "check") e = check(f.spec, values[f.param], f.param, [YES, NO]);
        else if (!f.composed) e = check(f.spec, values[f.param], f.param, f.items ? lists[f.items] : []);
        if (e) errors[f.param] = e;
      }
      const result = (outputs) => ({ errors, outputs, options, fields: active, values });
      const ps = activeParts(options, values);
      const outs = [];
      const composed = {};
      for (const p of ps) {
        // Filled from valid values only; a flagged check box takes its default (the composed
        // values do not depend on it).
        if (p.fields.some((param) => param in errors && !p.checks.includes(param))) continue;
        const ticks = Object.assign({}, values);
        for (const c of p.checks) if (c in errors) ticks[c] = fieldBy.get(c).default;
        const key = variantKey(p, ticks);
        const v = p.variants[p.index[key]];
        const ctx = fieldCtx(p.fields, values);
        const vals = {};
        for (const [k, t] of Object.entries(v.values)) vals[k] = fill(pool[t], ctx, false);
        const ctxAll = withValues(ctx, vals);
        const out = fillTree(v.out, ctxAll, false);
        let findings = v.findings;
        for (const param of p.fields) {
          const probe = ((p.probes.index[key] || {})[param] || {})[values[param]];
          if (probe !== undefined) findings = p.probes.findings[probe];
        }
        out.findings = fillTree(findings, ctxAll, false);
        for (const [k, val] of Object.entries(vals)) composed[p.id + "/" + k] = val;
        outs.push([p.id, out]);
      }
      for (const f of active) {
        if (!f.composed) continue;
        const value = composed[f.composed[0] + "/" + f.composed[1]];
        const e = value === undefined ? null : check(f.spec, value, f.param, []);
        if (e) errors[f.param] = e;
      }
      for (const d of data.distinct) {
        if (Object.keys(errors).length) break;
        if (ps.some((p) => p.id === d.part) && values[d.a] === values[d.b]) {
          errors[d.b] = fill(pool[d.message], values, false);
        }
      }
      if (Object.keys(errors).length) return result(null);
      return result(assemble(outs));
    }

    return { check, evaluate, fill, yamlScalar, closeMatches, pyRepr, activeFields, platforms, lists, fields };
  }

  /* --- the page ------------------------------------------------------------------------- */

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "text") node.textContent = v;
      else node.setAttribute(k, v);
    }
    for (const child of children || []) node.append(child);
    return node;
  }

  /** Text with `code` spans (the rules' notes), as nodes. */
  function inline(text) {
    return text.split("`").map((piece, n) => (n % 2 ? el("code", { text: piece }) : piece));
  }

  function copyButton(text, what) {
    return el("button", {
      type: "button", class: "gp-builder__copy", title: "Copy to clipboard",
      "aria-label": "Copy " + what, "data-clipboard-text": text,
    });
  }

  function codeBlock(text, what) {
    return el("div", { class: "language-bash highlight gp-builder__block no-copy" }, [
      el("pre", {}, [copyButton(text.replace(/\n$/, ""), what), el("code", { tabindex: "0", text })]),
    ]);
  }

  /** Replace a container's content only when what it shows changed. */
  function show(container, value, build) {
    const key = JSON.stringify(value);
    if (container.dataset.shown === key) return;
    container.dataset.shown = key;
    container.replaceChildren(...build(value));
  }

  function ensureOption(select, value) {
    if (Array.from(select.options).some((o) => o.value === value)) return;
    select.insertBefore(el("option", { value, text: value + " (not in the list)" }), select.firstChild);
  }

  function start() {
    const form = document.getElementById("gp-builder");
    const dataEl = document.getElementById("gp-builder-data");
    if (!form || !dataEl || form.dataset.ready) return;
    const data = JSON.parse(dataEl.textContent);
    const B = makeBuilder(data);
    window.gpBuilder = B;
    const $ = (id) => document.getElementById(id);
    const platformSelect = $("gp-platform");
    const selects = Object.fromEntries(COMPONENTS.map((c) => [c, $("gp-" + c)]));
    const fieldDivs = Array.from(form.querySelectorAll(".gp-builder__field[data-param]"));
    const ecr = $("gp-builder-ecr");
    const status = $("gp-builder-status");
    const output = $("gp-builder-output");
    const touched = new Set();
    /** A link's value for a check box that is neither yes nor no, until the reader ticks it. */
    const linkValues = {};

    function control(f) {
      return $(f.control);
    }

    /** The component's options on the platform; a link's value it does not offer stays,
     * flagged, until the reader chooses. */
    function fillOptions(c, plat, keep) {
      const select = selects[c];
      const wanted = plat[c].join(" ");
      if (select.dataset.platform !== wanted) {
        select.replaceChildren(...plat[c].map((o) => el("option", { value: o, text: data.options[c][o].name })));
        select.dataset.platform = wanted;
      }
      if (c in linkValues) {
        ensureOption(select, linkValues[c]);
        select.value = linkValues[c];
      } else {
        select.value = plat[c].includes(keep) ? keep : plat[c][0];
      }
    }

    function readState() {
      const state = { platform: platformSelect.value };
      for (const c of COMPONENTS) state[c] = c in linkValues ? linkValues[c] : selects[c].value;
      for (const f of B.fields) {
        const node = control(f);
        if (f.kind === "check") state[f.param] = f.param in linkValues ? linkValues[f.param] : node.checked ? YES : NO;
        else state[f.param] = node.value;
      }
      return state;
    }

    function setError(node, errorId, message, flagged) {
      const box = $(errorId);
      const shown = Boolean(message) && flagged;
      if (box.textContent !== (shown ? message : "")) box.textContent = shown ? message : "";
      if (shown) node.setAttribute("aria-invalid", "true");
      else node.removeAttribute("aria-invalid");
    }

    function writeQuery(state, result) {
      const params = new URLSearchParams();
      params.set("platform", state.platform);
      for (const c of COMPONENTS) params.set(c, state[c]);
      for (const f of result.fields) params.set(f.param, state[f.param]);
      const url = location.pathname + "?" + params.toString() + location.hash;
      if (url !== location.pathname + location.search + location.hash) {
        history.replaceState(history.state, "", url);
      }
    }

    function renderKots(groups) {
      const box = $("gp-out-kots");
      const rows = box.querySelectorAll("tbody tr");
      const flat = groups.flatMap(([, r]) => r);
      const sameShape = rows.length === flat.length &&
        flat.every(([title], n) => rows[n].cells[0].textContent === title) &&
        box.dataset.groups === JSON.stringify(groups.map(([g, r]) => [g, r.length]));
      if (sameShape) {
        // Same fields as before: change only the values, no new elements per keystroke.
        flat.forEach(([, value], n) => {
          const code = rows[n].cells[1].querySelector("code");
          if (code.textContent !== value) code.textContent = value;
          rows[n].cells[1].querySelector("button").setAttribute("data-clipboard-text", value);
        });
        return;
      }
      box.dataset.groups = JSON.stringify(groups.map(([g, r]) => [g, r.length]));
      box.replaceChildren(...groups.flatMap(([group, groupRows]) => [
        el("p", {}, [el("strong", { text: group }), " group:"]),
        // Material's wrapper (it wraps the tables it finds at load): on a phone the table
        // scrolls sideways, and the table is a focus stop for the keys that scroll it.
        el("div", { class: "md-typeset__scrollwrap" }, [el("div", { class: "md-typeset__table" }, [el("table", { tabindex: "0" }, [
          el("thead", {}, [el("tr", {}, [el("th", { text: "Field" }), el("th", { text: "Value" })])]),
          el("tbody", {}, groupRows.map(([title, value]) => el("tr", {}, [
            el("td", {}, [el("strong", { text: title })]),
            el("td", {}, [el("code", { text: value }), " ", copyButton(value, "the value of " + title)]),
          ]))),
        ])])]),
      ]));
    }

    /** Change only the code blocks' texts when nothing else changed (typing in a field). */
    function patchCodes(container, shape, codes) {
      if (container.dataset.shape !== shape) return false;
      const blocks = container.querySelectorAll("pre");
      if (blocks.length !== codes.length) return false;
      codes.forEach((text, n) => {
        const code = blocks[n].querySelector("code");
        if (code.textContent === text) return;
        code.textContent = text;
        blocks[n].querySelector("button").setAttribute("data-clipboard-text", text.replace(/\n$/, ""));
      });
      return true;
    }

    function renderPrereqs(prereqs) {
      $("gp-before").hidden = prereqs.length === 0;
      $("gp-out-prereq-lead").hidden = prereqs.length === 0;
      const box = $("gp-out-prereqs");
      const shape = JSON.stringify(prereqs.map((p) => [p.title, p.steps.map(([t]) => t), p.notes]));
      const codes = prereqs.flatMap((p) => [p.variables, ...p.steps.map(([, c]) => c)]);
      if (patchCodes(box, shape, codes)) return;
      box.dataset.shape = shape;
      delete box.dataset.shown;
      show(box, prereqs, (list) => list.map((p) => el("section", { class: "gp-builder__prereq" }, [
        el("h3", { text: p.title }),
        el("p", { text: "Your values, which every command below reads:" }),
        codeBlock(p.variables, "the variables for: " + p.title),
        ...p.steps.flatMap(([title, command], n) => [
          el("p", {}, [el("strong", { text: (n + 1) + ". " + title + "." })]),
          codeBlock(command, "step " + (n + 1) + ": " + title),
        ]),
        el("ul", {}, p.notes.map((note) => el("li", {}, inline(note)))),
      ])));
    }

    function renderSecrets(secrets, nothing) {
      const box = $("gp-out-secrets");
      const shape = JSON.stringify([secrets.map((c) => c.split(" ")[4]), nothing]);
      if (patchCodes(box, shape, secrets)) return;
      box.dataset.shape = shape;
      delete box.dataset.shown;
      show(box, [secrets, nothing], ([cmds, notes]) => [
        ...cmds.map((c) => codeBlock(c, "the command that creates the secret " + c.split(" ")[4])),
        ...notes.map((n) => el("p", {}, inline(n))),
      ]);
    }

    function renderFindings(findings) {
      $("gp-out-warnings").hidden = findings.length === 0;
      show($("gp-out-findings"), findings, (list) => list.map(([code, severity, message, fix, href]) =>
        el("li", {}, [
          el("strong", { text: code }), " (" + severity + "): " + message + ". Fix: " + fix + ". ",
          el("a", { href, text: "About " + code }),
        ])));
    }

    function render(out) {
      renderFindings(out.findings);
      renderPrereqs(out.prereqs);
      renderKots(out.kots);
      const yaml = $("gp-out-yaml");
      if (yaml.textContent !== out.yaml) {
        yaml.textContent = out.yaml;
        yaml.previousElementSibling.setAttribute("data-clipboard-text", out.yaml.replace(/\n$/, ""));
      }
      renderSecrets(out.secrets, out.nothing);
    }

    function setStatus(text) {
      if (status.textContent !== text) status.textContent = text;
    }

    function update() {
      const started = performance.now();
      const plat = B.platforms.get(platformSelect.value);
      if (plat) for (const c of COMPONENTS) fillOptions(c, plat, selects[c].value);
      const state = readState();
      const result = B.evaluate(state);
      setError(platformSelect, "gp-platform-error", result.errors.platform, true);
      for (const c of COMPONENTS) setError(selects[c], "gp-" + c + "-error", result.errors[c], true);
      const shownFields = new Set(result.fields.map((f) => f.param));
      for (const div of fieldDivs) div.hidden = !shownFields.has(div.dataset.param);
      const missing = [];
      for (const f of B.fields) {
        const node = control(f);
        const flagged = touched.has(f.control) || (f.kind !== "check" && state[f.param] !== "") || f.kind === "check";
        const message = shownFields.has(f.param) ? result.errors[f.param] : null;
        if (message && !flagged) missing.push(f.label);
        setError(node, f.control + "-error", message, flagged);
      }
      ecr.hidden = !result.unsupported;
      output.hidden = result.outputs === null;
      if (result.outputs) {
        render(result.outputs);
        setStatus("Your configuration, for " + plat.name + ".");
      } else if (result.unsupported) {
        setStatus("No configuration: " + data.options.registry[state.registry].name + " is not supported.");
      } else if (missing.length) {
        setStatus("Fill in: " + missing.join(", ") + ".");
      } else {
        setStatus("No configuration until the flagged field is fixed.");
      }
      writeQuery(state, result);
      B.lastUpdateMs = performance.now() - started;
    }

    const params = new URLSearchParams(location.search);
    if (params.has("platform")) {
      ensureOption(platformSelect, params.get("platform"));
      platformSelect.value = params.get("platform");
    }
    const plat = B.platforms.get(platformSelect.value);
    for (const c of COMPONENTS) {
      const value = params.get(c);
      if (params.has(c) && !(plat && plat[c].includes(value))) linkValues[c] = value;
      if (plat) fillOptions(c, plat, value);
      else if (params.has(c)) {
        ensureOption(selects[c], value);
        selects[c].value = value;
      }
    }
    for (const f of B.fields) {
      if (!params.has(f.param)) continue;
      const node = control(f);
      const value = params.get(f.param);
      if (f.kind === "check") {
        if (value === YES || value === NO) node.checked = value === YES;
        else linkValues[f.param] = value;
      } else {
        if (node.tagName === "SELECT") ensureOption(node, value);
        node.value = value;
      }
      touched.add(f.control);
    }
    form.addEventListener("input", (event) => {
      if (event.target.id) touched.add(event.target.id);
      const f = B.fields.find((x) => x.control === event.target.id);
      if (f) delete linkValues[f.param];
      for (const c of COMPONENTS) {
        if (event.target === selects[c] || event.target === platformSelect) delete linkValues[c];
      }
      update();
    });
    form.addEventListener("change", (event) => {
      const f = B.fields.find((x) => x.control === event.target.id);
      if (f) delete linkValues[f.param];
      for (const c of COMPONENTS) {
        if (event.target === selects[c] || event.target === platformSelect) delete linkValues[c];
      }
      update();
    });
    form.addEventListener("submit", (event) => event.preventDefault());
    update();
    form.dataset.ready = "true";
  }

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(start);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
