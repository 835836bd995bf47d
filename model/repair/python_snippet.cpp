#include "python_snippet.h"

#include "repair/repair_plan.h"

#include <QSet>

namespace statescope {

namespace {

using Op = RepairRule::Op;

QString line(int indent, const QString& text)
{
    return QString(indent, QLatin1Char(' ')) + text + QLatin1Char('\n');
}

QString intSet(const QVector<int>& values)
{
    if (values.isEmpty())
        return QStringLiteral("frozenset()");
    QStringList parts;
    for (int v : values)
        parts << QString::number(v);
    return QLatin1String("frozenset({") + parts.join(QLatin1String(", ")) + QLatin1String("})");
}

QString describe(int index, const RepairRule& r)
{
    QString what = QLatin1String("# rule ") + QString::number(index) + QLatin1String(": ") + repairOpName(r.op);
    for (const QString& field : {r.prefix, r.pattern, r.from, r.to, r.dtype}) {
        if (!field.isEmpty())
            what += QLatin1Char(' ') + pythonStringLiteral(field);
    }
    // A comment ends at a line break; a key with one must not turn the rest into code.
    what.replace(QLatin1Char('\n'), QLatin1Char(' ')).replace(QLatin1Char('\r'), QLatin1Char(' '));
    return what;
}

} // namespace

QString pythonStringLiteral(const QString& text)
{
    QString out = QStringLiteral("'");
    for (QChar c : text) {
        const ushort u = c.unicode();
        if (c == QLatin1Char('\\'))
            out += QLatin1String("\\\\");
        else if (c == QLatin1Char('\''))
            out += QLatin1String("\\'");
        else if (u < 0x20 || u == 0x7f || c.isSurrogate() || u == 0x2028 || u == 0x2029 || u == 0x85)
            out += QStringLiteral("\\u%1").arg(u, 4, 16, QLatin1Char('0'));
        else
            out += c;
    }
    return out + QLatin1Char('\'');
}

QString pythonFixFunction(const RepairPlan& plan)
{
    QString route;
    QVector<int> take, transpose, fill;
    QStringList casts, resizes;
    for (qsizetype i = 0; i < plan.rules.size(); ++i) {
        const RepairRule& r = plan.rules.at(i);
        if (!r.enabled)
            continue;
        const int n = int(i);
        const QString pattern = pythonStringLiteral(r.pattern);
        route += line(8, describe(n, r));
        switch (r.op) {
        case Op::StripPrefix:
            route += line(8, QLatin1String("if key.startswith(") + pythonStringLiteral(r.prefix) +
                                 QLatin1String("):  # anchored, never str.replace"));
            route += line(12, QLatin1String("key = key[") + QString::number(r.prefix.size()) + QLatin1String(":]"));
            break;
        case Op::AddPrefix:
            if (r.pattern.isNull()) {
                route += line(8, QLatin1String("key = ") + pythonStringLiteral(r.prefix) + QLatin1String(" + key"));
            } else {
                route += line(8, QLatin1String("if re.search(") + pattern + QLatin1String(", key):"));
                route += line(12, QLatin1String("key = ") + pythonStringLiteral(r.prefix) + QLatin1String(" + key"));
            }
            break;
        case Op::Rename:
            route += line(8, QLatin1String("key = re.sub(") + pattern + QLatin1String(", ") +
                                 pythonStringLiteral(r.replace) + QLatin1String(", key)"));
            break;
        case Op::Map:
            // A map names one tensor key, never a module, so _metadata prefixes skip it.
            route += line(8, QLatin1String("if not metadata and key == ") + pythonStringLiteral(r.from) +
                                 QLatin1Char(':'));
            route += line(12, QLatin1String("key = ") + pythonStringLiteral(r.to));
            break;
        case Op::Drop:
            route += line(8, QLatin1String("if re.search(") + pattern + QLatin1String(", key):"));
            route += line(12, QStringLiteral("return None, matched"));
            break;
        case Op::FillNumBatchesTracked:
            fill << n;
            route += line(8, QStringLiteral("pass  # applied after all keys"));
            break;
        default:
            route += line(8, QLatin1String("if re.search(") + pattern + QLatin1String(", key):"));
            route += line(12, QLatin1String("matched.append(") + QString::number(n) + QLatin1Char(')'));
            if (r.op == Op::TakeFromTarget)
                take << n;
            else if (r.op == Op::Transpose)
                transpose << n;
            else if (r.op == Op::Cast)
                casts << QString::number(n) + QLatin1String(": ") +
                             (r.dtype == QLatin1String("target") ? QStringLiteral("None")
                                                                  : QLatin1String("torch.") + r.dtype);
            else
                resizes << QString::number(n) + QLatin1String(": (") +
                               (r.mode == RepairRule::ResizeMode::SlicePad ? QStringLiteral("'slice_pad'")
                                                                           : QStringLiteral("'interpolate'")) +
                               QLatin1String(", ") + QString::number(r.prefixTokens) + QLatin1Char(')');
            break;
        }
    }
    route += line(8, QStringLiteral("return key, matched"));

    QString py;
    py += QStringLiteral("import collections\nimport re\n\nimport torch\n\n\n");
    py += QStringLiteral(
        "def fix_state_dict(state_dict, target_state_dict=None):\n"
        "    \"\"\"Applies a StateScope repair plan (written by `statescope suggest --python`).\n"
        "\n"
        "    Keys: the rules in order (prefix rules anchored); _metadata module prefixes move with them.\n"
        "    Tensors: take_from_target -> transpose -> resize -> cast. Rules that read the target model need\n"
        "    target_state_dict=model.state_dict(). Returns a new OrderedDict; the input is not changed.\n"
        "    \"\"\"\n");
    py += QLatin1String("    TAKE = ") + intSet(take) + QLatin1Char('\n');
    py += QLatin1String("    TRANSPOSE = ") + intSet(transpose) + QLatin1Char('\n');
    py += QLatin1String("    CAST = {") + casts.join(QLatin1String(", ")) + QLatin1String("}  # None: the target's dtype\n");
    py += QLatin1String("    RESIZE = {") + resizes.join(QLatin1String(", ")) + QLatin1String("}\n");
    py += QLatin1String("    FILL = ") + (fill.isEmpty() ? QStringLiteral("False") : QStringLiteral("True")) +
          QLatin1String("\n\n");
    py += QStringLiteral(
        "    def route(key, metadata=False):\n"
        "        matched = []\n");
    py += route;
    py += QStringLiteral(
        "\n"
        "    def target_tensor(key, what):\n"
        "        if target_state_dict is None:\n"
        "            raise NotImplementedError(what + ' needs the target model\\'s tensors: '\n"
        "                                      'call fix_state_dict(state_dict, model.state_dict())')\n"
        "        if key not in target_state_dict:\n"
        "            raise KeyError(what + ': the target has no key ' + repr(key))\n"
        "        return target_state_dict[key]\n"
        "\n"
        "    def resize(t, key, mode, prefix_tokens):\n"
        "        target = target_tensor(key, 'resize')\n"
        "        if t.shape == target.shape:\n"
        "            return t\n"
        "        if t.dim() != target.dim():\n"
        "            raise ValueError('resize keeps the number of dimensions: ' + key)\n"
        "        if mode == 'slice_pad':\n"
        "            out = target.detach().clone().to(t.dtype)\n"
        "            overlap = tuple(slice(0, min(a, b)) for a, b in zip(t.shape, target.shape))\n"
        "            out[overlap] = t[overlap]\n"
        "            return out\n"
        "        p = prefix_tokens\n"
        "        old = int(round((t.shape[-2] - p) ** 0.5))\n"
        "        new = int(round((target.shape[-2] - p) ** 0.5))\n"
        "        if old * old != t.shape[-2] - p or new * new != target.shape[-2] - p:\n"
        "            raise ValueError('interpolate needs square grids after prefix_tokens: ' + key)\n"
        "        lead, channels = t.shape[:-2], t.shape[-1]\n"
        "        grid = t[..., p:, :].reshape(-1, old, old, channels).permute(0, 3, 1, 2).float()\n"
        "        grid = torch.nn.functional.interpolate(grid, size=(new, new), mode='bicubic', align_corners=False)\n"
        "        grid = grid.permute(0, 2, 3, 1).reshape(*lead, new * new, channels).to(t.dtype)\n"
        "        return torch.cat([t[..., :p, :], grid], dim=-2)\n"
        "\n"
        "    out = collections.OrderedDict()\n"
        "    origin = {}\n"
        "    for old_key, value in state_dict.items():\n"
        "        key, matched = route(old_key)\n"
        "        if key is None:\n"
        "            continue\n"
        "        if key in origin:\n"
        "            raise ValueError('source keys %r and %r both become %r under the rules' % (origin[key], old_key, key))\n"
        "        origin[key] = old_key\n"
        "        if isinstance(value, torch.Tensor) and matched:\n"
        "            if any(i in TAKE for i in matched):\n"
        "                value = target_tensor(key, 'take_from_target').detach().clone()\n"
        "            else:\n"
        "                if sum(1 for i in matched if i in TRANSPOSE) % 2:\n"
        "                    if value.dim() != 2:\n"
        "                        raise ValueError('transpose takes 2-D tensors only: %s has shape %s' % (key, list(value.shape)))\n"
        "                    value = value.t().contiguous()\n"
        "                for i in matched:\n"
        "                    if i in RESIZE:\n"
        "                        value = resize(value, key, *RESIZE[i])\n"
        "            cast = [i for i in matched if i in CAST]\n"
        "            if cast:\n"
        "                dtype = CAST[cast[-1]]\n"
        "                if dtype is None:\n"
        "                    dtype = target_tensor(key, 'cast to the target dtype').dtype\n"
        "                value = value.to(dtype)\n"
        "        out[key] = value\n"
        "\n"
        "    if FILL:\n"
        "        if target_state_dict is None:\n"
        "            raise NotImplementedError('fill_num_batches_tracked needs the target model\\'s keys: '\n"
        "                                      'call fix_state_dict(state_dict, model.state_dict())')\n"
        "        items = list(out.items())\n"
        "        present = set(out)\n"
        "        for key in target_state_dict:\n"
        "            if key in present or not (key == 'num_batches_tracked' or key.endswith('.num_batches_tracked')):\n"
        "                continue\n"
        "            prefix = key[:-len('num_batches_tracked')]\n"
        "            at = len(items)\n"
        "            for i, (k, _) in enumerate(items):\n"
        "                if k == prefix + 'running_var':\n"
        "                    at = i + 1\n"
        "                    break\n"
        "                if k.startswith(prefix) and '.' not in k[len(prefix):]:\n"
        "                    at = i + 1\n"
        "            items.insert(at, (key, torch.tensor(0, dtype=torch.long)))\n"
        "            present.add(key)\n"
        "        out = collections.OrderedDict(items)\n"
        "\n"
        "    metadata = getattr(state_dict, '_metadata', None)\n"
        "    if metadata is not None:\n"
        "        moved = collections.OrderedDict()\n"
        "        for prefix, value in metadata.items():\n"
        "            key, _ = route(prefix + '.' if prefix else prefix, metadata=True)\n"
        "            if key is None:\n"
        "                continue\n"
        "            moved[key[:-1] if key.endswith('.') else key] = value\n"
        "        out._metadata = moved\n"
        "    return out\n");
    return py;
}

} // namespace statescope
