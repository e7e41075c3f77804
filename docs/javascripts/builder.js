/* Configuration builder (docs/builder.md).
 *
 * Applies what macros/builder.py exported into the page (#gp-builder-data): validation specs,
 * lists with the values the rules computed for each item, and output templates. No host, suffix
 * or endpoint rule lives here. The helpers below reproduce Python's *semantics* the messages
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

  function makeBuilder(data) {
    const patterns = new Map();
    function full(pattern) {
      if (!patterns.has(pattern)) patterns.set(pattern, new RegExp("^(?:" + pattern + ")$", "u"));
      return patterns.get(pattern);
    }
    const ws = data.whitespace;
    const edges = new RegExp("^[" + ws + "]+|[" + ws + "]+$", "gu");
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
    const options = new Map(data.options.map((o) => [o.id, o]));

    function subject(check, value) {
      const sep = check.subject === "before_slash" ? "/" : check.subject === "before_colon" ? ":" : null;
      if (sep === null) return value;
      const i = value.indexOf(sep);
      return i < 0 ? value : value.slice(0, i);
    }

    /** true: fails; false: passes; null: accepted outright (macros/validation.py _fails). */
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
      return template.replace(/\{\{([a-z.]+)\}\}/g, (m, name) => {
        if (!(name in ctx)) throw new Error("builder: no value for " + name);
        return yamlValues ? yamlScalar(ctx[name]) : ctx[name];
      });
    }

    /** Errors by parameter, and the outputs when there is none. */
    function evaluate(optionId, inputs) {
      const option = options.get(optionId);
      const errors = {};
      if (!option) {
        errors.option = check("option", optionId, "option", Array.from(options.keys()));
        return { errors, outputs: null };
      }
      if (!option.supported) return { errors, outputs: null };
      for (const f of option.fields) {
        if (f.composed) continue;
        const m = check(f.spec, inputs[f.param], f.param, f.items ? lists[f.items] : []);
        if (m) errors[f.param] = m;
      }
      if (Object.keys(errors).length) return { errors, outputs: null };
      const optional = new Set(option.variants.flatMap((v) => v.empty));
      const empty = option.fields.filter((f) => optional.has(f.param) && inputs[f.param] === "");
      const key = empty.map((f) => f.param).sort().join(" ");
      const variant = option.variants.find((v) => v.empty.slice().sort().join(" ") === key);
      const ctx = {};
      for (const f of option.fields) {
        ctx[f.param] = inputs[f.param];
        for (const [name, [from, to]] of Object.entries(f.derived)) {
          ctx[f.param + "." + name] = inputs[f.param].replaceAll(from, to);
        }
        if (f.items) {
          for (const [k, v] of Object.entries(items[f.items].get(inputs[f.param]).attrs)) {
            ctx[f.param + "." + k] = v;
          }
        }
      }
      const values = {};
      for (const [k, t] of Object.entries(variant.values)) values[k] = fill(t, ctx, false);
      for (const f of option.fields) {
        if (!f.composed) continue;
        const m = check(f.spec, values[f.composed], f.param, []);
        if (m) errors[f.param] = m;
      }
      if (Object.keys(errors).length) return { errors, outputs: null };
      const out = option.outputs;
      return {
        errors,
        outputs: {
          kots: out.kots.map(([title, value]) => [title, fill(value, values, false)]),
          yaml: fill(out.yaml, values, true),
          command: out.command === null ? null : fill(out.command, values, false),
          note: out.note,
        },
      };
    }

    return { check, evaluate, fill, yamlScalar, closeMatches, pyRepr, options, lists };
  }

  /* --- the page ------------------------------------------------------------------------- */

  function ensureOption(select, value) {
    if (Array.from(select.options).some((o) => o.value === value)) return;
    const opt = document.createElement("option");
    opt.value = value;
    opt.textContent = value + " (not in the list)";
    select.insertBefore(opt, select.firstChild);
  }

  function start() {
    const form = document.getElementById("gp-builder");
    const dataEl = document.getElementById("gp-builder-data");
    if (!form || !dataEl || form.dataset.ready) return;
    const data = JSON.parse(dataEl.textContent);
    const B = makeBuilder(data);
    window.gpBuilder = B;

    const optionSelect = document.getElementById("gp-option");
    const fieldDivs = Array.from(form.querySelectorAll(".gp-builder__field[data-options]"));
    const ecr = document.getElementById("gp-builder-ecr");
    const status = document.getElementById("gp-builder-status");
    const output = document.getElementById("gp-builder-output");
    const kots = document.getElementById("gp-out-kots");
    const yamlCode = document.getElementById("gp-out-yaml");
    const commandBlock = document.getElementById("gp-out-command-block");
    const commandCode = document.getElementById("gp-out-command");
    const note = document.getElementById("gp-out-note");
    const touched = new Set();

    function control(f) {
      return document.getElementById(f.control);
    }

    function setError(el, errorId, message, show) {
      const box = document.getElementById(errorId);
      const flagged = Boolean(message) && show;
      box.textContent = flagged ? message : "";
      if (flagged) el.setAttribute("aria-invalid", "true");
      else el.removeAttribute("aria-invalid");
    }

    function readInputs(option) {
      const inputs = {};
      if (option) for (const f of option.fields) inputs[f.param] = control(f).value;
      return inputs;
    }

    function writeQuery(optionId, option, inputs) {
      const params = new URLSearchParams();
      params.set("option", optionId);
      if (option) for (const f of option.fields) params.set(f.param, inputs[f.param]);
      const url = location.pathname + "?" + params.toString() + location.hash;
      if (url !== location.pathname + location.search + location.hash) {
        history.replaceState(history.state, "", url);
      }
    }

    function renderOutputs(out) {
      const existing = Array.from(kots.rows);
      const sameRows = existing.length === out.kots.length &&
        existing.every((tr, n) => tr.cells[0].textContent === out.kots[n][0] &&
          tr.cells[1].querySelector("button") !== null);
      if (sameRows) {
        // Same fields as before: change only the values, no new elements per keystroke.
        out.kots.forEach(([, value], n) => {
          const code = existing[n].cells[1].querySelector("code");
          if (code.textContent !== value) code.textContent = value;
          existing[n].cells[1].querySelector("button").setAttribute("data-clipboard-text", value);
        });
      }
      const rows = document.createDocumentFragment();
      for (const [title, value] of sameRows ? [] : out.kots) {
        const tr = document.createElement("tr");
        const th = document.createElement("td");
        const strong = document.createElement("strong");
        strong.textContent = title;
        th.appendChild(strong);
        const td = document.createElement("td");
        const code = document.createElement("code");
        code.textContent = value;
        const copy = document.createElement("button");
        copy.type = "button";
        copy.className = "gp-builder__copy";
        copy.title = "Copy to clipboard";
        copy.setAttribute("aria-label", "Copy the value of " + title);
        copy.setAttribute("data-clipboard-text", value);
        td.append(code, " ", copy);
        tr.append(th, td);
        rows.appendChild(tr);
      }
      if (!sameRows) kots.replaceChildren(rows);
      if (yamlCode.textContent !== out.yaml) yamlCode.textContent = out.yaml;
      commandBlock.hidden = out.command === null;
      const command = out.command === null ? "" : out.command;
      if (commandCode.textContent !== command) commandCode.textContent = command;
      note.hidden = out.note === null;
      if (out.note && note.textContent !== out.note.before + out.note.secret + out.note.after) {
        const code = document.createElement("code");
        code.textContent = out.note.secret;
        note.replaceChildren(out.note.before, code, out.note.after);
      } else if (!out.note) {
        note.replaceChildren();
      }
    }

    function clearOutputs() {
      kots.replaceChildren();
      yamlCode.textContent = "";
      commandCode.textContent = "";
      note.replaceChildren();
    }

    function setStatus(text) {
      if (status.textContent !== text) status.textContent = text;
    }

    function update() {
      const started = performance.now();
      const optionId = optionSelect.value;
      const option = B.options.get(optionId);
      const inputs = readInputs(option);
      const result = B.evaluate(optionId, inputs);
      setError(optionSelect, "gp-option-error", result.errors.option, true);
      for (const div of fieldDivs) {
        div.hidden = !option || !div.dataset.options.split(" ").includes(optionId);
      }
      const missing = [];
      if (option) {
        for (const f of option.fields) {
          const show = touched.has(f.control) || inputs[f.param] !== "";
          if (result.errors[f.param] && !show) missing.push(f.label);
          setError(control(f), f.control + "-error", result.errors[f.param], show);
        }
      }
      ecr.hidden = !option || option.supported;
      output.hidden = result.outputs === null;
      if (result.outputs) {
        renderOutputs(result.outputs);
        setStatus("Your configuration for: " + option.name + ".");
      } else {
        clearOutputs();
        if (option && !option.supported) setStatus("No configuration: " + option.name + " is not supported.");
        else if (missing.length) setStatus("Fill in: " + missing.join(", ") + ".");
        else setStatus("No configuration until the flagged field is fixed.");
      }
      writeQuery(optionId, option, inputs);
      B.lastUpdateMs = performance.now() - started;
    }

    const params = new URLSearchParams(location.search);
    if (params.has("option")) {
      ensureOption(optionSelect, params.get("option"));
      optionSelect.value = params.get("option");
      const option = B.options.get(optionSelect.value);
      for (const f of option ? option.fields : []) {
        if (!params.has(f.param)) continue;
        const el = control(f);
        const value = params.get(f.param);
        if (el.tagName === "SELECT") ensureOption(el, value);
        el.value = value;
        touched.add(f.control);
      }
    }
    form.addEventListener("input", (event) => {
      if (event.target.id) touched.add(event.target.id);
      update();
    });
    form.addEventListener("change", update);
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
