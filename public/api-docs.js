// Renders /api/v1/openapi.json as a readable reference. Plain script (the CSP forbids inline
// code); every value from the document goes through textContent, never through HTML parsing.
(function () {
  'use strict';

  var METHODS = ['get', 'post', 'put', 'patch', 'delete'];

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) {
      node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return node;
  }

  function refName(schema) {
    return schema && typeof schema.$ref === 'string' ? schema.$ref.split('/').pop() : null;
  }

  // One line per constraint a reader cares about; long generated patterns are left out when a
  // format already says what they check.
  function constraints(s) {
    var out = [];
    if (s.format) out.push('format ' + s.format);
    if (s.pattern && !(s.format && s.pattern.length > 60)) out.push('pattern ' + s.pattern);
    if (s.minLength !== undefined || s.maxLength !== undefined) out.push('length ' + (s.minLength || 0) + '..' + (s.maxLength === undefined ? '' : s.maxLength));
    // zod's int() states the safe-integer bounds; they say nothing to a reader.
    var min = s.minimum === -Number.MAX_SAFE_INTEGER ? undefined : s.minimum;
    var max = s.maximum === Number.MAX_SAFE_INTEGER ? undefined : s.maximum;
    if (min !== undefined && max === undefined) out.push('≥ ' + min);
    else if (min !== undefined || max !== undefined) out.push('range ' + (min === undefined ? '' : min) + '..' + (max === undefined ? '' : max));
    if (s.minItems !== undefined || s.maxItems !== undefined) out.push((s.minItems || 0) + '..' + (s.maxItems === undefined ? '' : s.maxItems) + ' items');
    if (s.default !== undefined) out.push('default ' + JSON.stringify(s.default));
    return out.length ? ' (' + out.join(', ') + ')' : '';
  }

  function typeText(doc, schema, indent) {
    var name = refName(schema);
    if (name) return name;
    var s = schema || {};
    if (s.const !== undefined) return JSON.stringify(s.const);
    if (s.enum) return s.enum.map(function (v) { return JSON.stringify(v); }).join(' | ') + constraints(s);
    var alternatives = s.anyOf || s.oneOf;
    if (alternatives) return alternatives.map(function (a) { return typeText(doc, a, indent); }).join(' | ');
    var type = Array.isArray(s.type) ? s.type.join(' | ') : s.type;
    if (type === 'array') return 'array of ' + typeText(doc, s.items || {}, indent) + constraints(s);
    if (type === 'object' || s.properties) return objectText(doc, s, indent);
    return (type || 'any') + constraints(s);
  }

  function objectText(doc, s, indent) {
    var pad = '  '.repeat(indent + 1);
    var props = s.properties || {};
    var required = s.required || [];
    var keys = Object.keys(props);
    var lines = keys.map(function (k) {
      return pad + k + (required.indexOf(k) >= 0 ? '' : '?') + ': ' + typeText(doc, props[k], indent + 1);
    });
    if (s.additionalProperties && typeof s.additionalProperties === 'object') {
      lines.push(pad + '[' + typeText(doc, s.propertyNames || { type: 'string' }, indent + 1) + ']: ' + typeText(doc, s.additionalProperties, indent + 1));
    }
    if (lines.length === 0) return 'object';
    return (s.title ? s.title + ' ' : '') + '{\n' + lines.join('\n') + '\n' + '  '.repeat(indent) + '}';
  }

  function parametersTable(params) {
    var rows = params.map(function (p) {
      return el('tr', {}, [
        el('td', {}, [el('code', {}, [p.name])]),
        el('td', {}, [p.in]),
        el('td', {}, [p.required ? 'yes' : 'no']),
        el('td', {}, [typeText(null, p.schema || {}, 0) + (p.description ? ' — ' + p.description : '')]),
      ]);
    });
    var head = el('tr', {}, ['Name', 'In', 'Required', 'Type'].map(function (h) { return el('th', { scope: 'col' }, [h]); }));
    return el('table', { class: 'docs-params' }, [el('thead', {}, [head]), el('tbody', {}, rows)]);
  }

  function contentBlock(doc, content) {
    var types = Object.keys(content || {});
    return types.map(function (type) {
      var schema = content[type].schema;
      return el('pre', {}, [type + '\n' + typeText(doc, schema || {}, 0)]);
    });
  }

  function operationCard(doc, path, method, op) {
    var card = el('section', { class: 'docs-op', id: op.operationId || method + path }, [
      el('h3', {}, [el('span', { class: 'docs-method' }, [method]), path]),
      el('p', {}, [op.summary || '']),
      el('p', { class: 'docs-access' }, [op.description || '']),
    ]);
    if (op.parameters && op.parameters.length) {
      card.appendChild(el('h4', {}, ['Parameters']));
      card.appendChild(parametersTable(op.parameters));
    }
    if (op.requestBody) {
      card.appendChild(el('h4', {}, ['Request body' + (op.requestBody.required ? '' : ' (optional)')]));
      contentBlock(doc, op.requestBody.content).forEach(function (n) { card.appendChild(n); });
    }
    card.appendChild(el('h4', {}, ['Responses']));
    var list = el('ul', {}, []);
    Object.keys(op.responses || {}).forEach(function (status) {
      var r = op.responses[status];
      var item = el('li', {}, [el('strong', {}, [status]), ' ' + (r.description || '')]);
      var ok = /^2/.test(status);
      // Error bodies all share one shape, shown once at the top; success bodies are spelled out.
      if (ok) contentBlock(doc, r.content).forEach(function (n) { item.appendChild(n); });
      list.appendChild(item);
    });
    card.appendChild(list);
    return card;
  }

  function render(doc) {
    var main = document.getElementById('reference');
    var toc = document.getElementById('toc');
    main.textContent = '';
    var byTag = {};
    Object.keys(doc.paths).sort().forEach(function (path) {
      METHODS.forEach(function (method) {
        var op = doc.paths[path][method];
        if (!op) return;
        var tag = (op.tags && op.tags[0]) || 'other';
        (byTag[tag] = byTag[tag] || []).push({ path: path, method: method, op: op });
      });
    });
    var errorSchema = doc.components && doc.components.schemas && doc.components.schemas.Error;
    if (errorSchema) {
      main.appendChild(el('h2', { class: 'docs-tag', id: 'errors' }, ['Common error shape']));
      main.appendChild(el('pre', {}, [typeText(doc, errorSchema, 0)]));
    }
    var tocList = el('ul', {}, []);
    (doc.tags || []).forEach(function (t) {
      var ops = byTag[t.name];
      if (!ops) return;
      tocList.appendChild(el('li', {}, [el('a', { href: '#tag-' + t.name }, [t.name])]));
      main.appendChild(el('h2', { class: 'docs-tag', id: 'tag-' + t.name }, [t.name + ' — ' + (t.description || '')]));
      ops.forEach(function (o) { main.appendChild(operationCard(doc, o.path, o.method, o.op)); });
    });
    toc.textContent = '';
    toc.appendChild(tocList);
  }

  function fail(message) {
    var status = document.getElementById('status');
    if (!status) return;
    status.className = 'docs-error';
    status.textContent = message;
  }

  fetch('/api/v1/openapi.json', { headers: { accept: 'application/json' } })
    .then(function (res) {
      if (!res.ok) throw new Error('The API document answered ' + res.status + '.');
      return res.json();
    })
    .then(function (doc) { render(doc); })
    .catch(function (err) { fail('Could not load the API document: ' + (err && err.message ? err.message : String(err))); });
})();
