#include "state_dict.h"

#include "checkpoint/checkpoint.h"
#include "formats/format_error.h"

#include <QSet>

#include <algorithm>
#include <climits>
#include <cmath>
#include <limits>

namespace statescope {

namespace {

const QStringList& conventionalNames()
{
    static const QStringList names{
        QStringLiteral("state_dict"), QStringLiteral("model_state_dict"), QStringLiteral("model"),
        QStringLiteral("module"),     QStringLiteral("net"),              QStringLiteral("network"),
        QStringLiteral("ema"),        QStringLiteral("model_ema"),        QStringLiteral("state_dict_ema"),
    };
    return names;
}

// The dict-like part of an object: a dict, or the SETITEMS of an opaque dict subclass.
const QVector<std::pair<PyObject*, PyObject*>>* dictItems(const PyObject* object)
{
    if (const auto* dict = object->as<PyDict>())
        return &dict->items;
    if (const auto* opaque = object->as<PyOpaque>(); opaque && !opaque->dictItems.isEmpty())
        return &opaque->dictItems;
    return nullptr;
}

bool isStateDict(const PyObject* object, QVector<StateDictEntry>* entries, QVector<StateDictExtraState>* extras)
{
    const auto* items = dictItems(object);
    if (!items || items->isEmpty())
        return false;
    QVector<StateDictEntry> found;
    QVector<StateDictExtraState> foundExtras;
    for (const auto& [k, v] : *items) {
        const auto* key = k->as<PyString>();
        if (!key)
            return false;
        if (const auto* tensor = v->as<PyTensor>())
            found.push_back({key->value, tensor});
        else if (key->value.endsWith(QLatin1String("_extra_state")))
            foundExtras.push_back({key->value, v, int(found.size())});
        else
            return false;
    }
    if (found.isEmpty())
        return false;
    *entries = std::move(found);
    *extras = std::move(foundExtras);
    return true;
}

QString keyText(const PyObject* key)
{
    if (const auto* s = key->as<PyString>())
        return s->value;
    if (const auto* i = key->as<PyInt>())
        return i->toString();
    return {};
}

const PyDict* metadataOf(const PyObject* object)
{
    const auto* dict = object->as<PyDict>();
    if (!dict || !dict->state)
        return nullptr;
    // BUILD state of an OrderedDict is {'_metadata': ...} (or a (dict, slots) pair from newer picklers).
    const PyObject* state = dict->state;
    if (const auto* pair = state->as<PySequence>(); pair && pair->items.size() == 2)
        state = pair->items[0];
    const auto* stateDict = state->as<PyDict>();
    if (!stateDict)
        return nullptr;
    const PyObject* meta = stateDict->value(QStringLiteral("_metadata"));
    return meta ? meta->as<PyDict>() : nullptr;
}

class Finder
{
public:
    QVector<StateDict> found;

    void visit(const PyObject* object, const QString& path, int depth)
    {
        if (!object || depth > 1000 || m_seen.contains(object))
            return;
        m_seen.insert(object);
        QVector<StateDictEntry> entries;
        QVector<StateDictExtraState> extras;
        if (isStateDict(object, &entries, &extras)) {
            StateDict dict;
            dict.path = path;
            dict.object = object;
            dict.entries = std::move(entries);
            dict.extraStates = std::move(extras);
            dict.metadata = metadataOf(object);
            found.push_back(std::move(dict));
            return; // tensors of a state dict are leaves; nothing below is another state dict
        }
        auto child = [&](const QString& component, const PyObject* value) {
            visit(value, path.isEmpty() ? component : path + QLatin1Char('/') + component, depth + 1);
        };
        if (const auto* items = dictItems(object)) {
            // Integer keys mean optimizer state (param id -> {'momentum_buffer': ...}): never a model's.
            const bool integerKeys = std::any_of(items->cbegin(), items->cend(),
                                                 [](const auto& item) { return item.first->is(PyKind::Int); });
            if (integerKeys)
                return;
            for (const auto& [k, v] : *items) {
                const QString name = keyText(k);
                if (!name.isNull())
                    child(name, v);
            }
        }
        if (const auto* seq = object->as<PySequence>()) {
            for (int i = 0; i < seq->items.size(); ++i)
                child(QString::number(i), seq->items[i]);
        }
        if (const auto* opaque = object->as<PyOpaque>()) {
            // An object's attributes (BUILD state) read like dict entries: `ema/module` for ema.module.
            if (opaque->state)
                visit(opaque->state, path, depth + 1);
            for (int i = 0; i < opaque->listItems.size(); ++i)
                child(QString::number(i), opaque->listItems[i]);
        }
    }

private:
    QSet<const PyObject*> m_seen;
};

int rankClass(const StateDict& candidate)
{
    if (candidate.path.isEmpty())
        return 0;
    const QString last = candidate.path.section(QLatin1Char('/'), -1);
    const int conventional = conventionalNames().indexOf(last);
    return conventional >= 0 ? 1 + conventional : 100;
}

} // namespace

int StateDict::moduleVersion(const QString& modulePrefix) const
{
    if (!metadata)
        return -1;
    const PyObject* entry = metadata->value(modulePrefix);
    const auto* dict = entry ? entry->as<PyDict>() : nullptr;
    const PyObject* version = dict ? dict->value(QStringLiteral("version")) : nullptr;
    if (!version)
        return -1;
    // torch compares whatever is stored (`version < 2`): a float or bool version counts by its value.
    if (const auto* number = version->as<PyInt>())
        return number->isBig() ? std::numeric_limits<int>::max() : static_cast<int>(std::clamp<qint64>(number->value, INT_MIN, INT_MAX));
    if (const auto* real = version->as<PyFloat>())
        return std::isnan(real->value) ? std::numeric_limits<int>::max() : static_cast<int>(std::clamp(std::floor(real->value), -1e9, 1e9));
    if (const auto* flag = version->as<PyBool>())
        return flag->value ? 1 : 0;
    return -1;
}

QVector<StateDict> findStateDicts(const Checkpoint& checkpoint)
{
    Finder finder;
    finder.visit(checkpoint.root(), QString(), 0);
    QVector<StateDict> result = std::move(finder.found);
    std::stable_sort(result.begin(), result.end(), [](const StateDict& a, const StateDict& b) {
        const int ra = rankClass(a);
        const int rb = rankClass(b);
        if (ra != rb)
            return ra < rb;
        if (a.path.count(QLatin1Char('/')) != b.path.count(QLatin1Char('/')))
            return a.path.count(QLatin1Char('/')) < b.path.count(QLatin1Char('/'));
        return a.entries.size() > b.entries.size();
    });
    return result;
}

StateDict selectStateDict(const Checkpoint& checkpoint, const QString& path)
{
    const QVector<StateDict> candidates = findStateDicts(checkpoint);
    if (candidates.isEmpty())
        throw FormatError(checkpoint.path() + QLatin1String(": no state dict (a dict of tensors) in the file"));
    if (path.isNull())
        return candidates.front();
    QStringList names;
    for (const StateDict& c : candidates) {
        if (c.path == path)
            return c;
        names << (c.path.isEmpty() ? QStringLiteral("\"\"") : c.path);
    }
    throw FormatError(checkpoint.path() + QLatin1String(": no state dict at '") + path + QLatin1String("' (candidates: ") +
                      names.join(QLatin1String(", ")) + QLatin1Char(')'));
}

void forEachKey(const StateDict& stateDict,
                const std::function<void(const QString& key, const PyTensor* tensor, const PyObject* extraValue)>& visit)
{
    int extra = 0;
    const int extras = int(stateDict.extraStates.size());
    for (int i = 0; i <= stateDict.entries.size(); ++i) {
        for (; extra < extras && stateDict.extraStates[extra].position <= i; ++extra)
            visit(stateDict.extraStates[extra].key, nullptr, stateDict.extraStates[extra].value);
        if (i < stateDict.entries.size())
            visit(stateDict.entries[i].key, stateDict.entries[i].tensor, nullptr);
    }
}

} // namespace statescope
