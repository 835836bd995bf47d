#include "pickle_reader.h"

#include "format_error.h"
#include "pickle_calls.h"

#include <QtEndian>

#include <cmath>
#include <cstring>

namespace statescope {

namespace {

// Opcodes of pickle protocols 0-5 (Lib/pickletools.py names).
enum Opcode : quint8 {
    MARK = '(',
    STOP = '.',
    POP = '0',
    POP_MARK = '1',
    DUP = '2',
    FLOAT = 'F',
    INT = 'I',
    BININT = 'J',
    BININT1 = 'K',
    LONG = 'L',
    BININT2 = 'M',
    NONE = 'N',
    PERSID = 'P',
    BINPERSID = 'Q',
    REDUCE = 'R',
    STRING = 'S',
    BINSTRING = 'T',
    SHORT_BINSTRING = 'U',
    UNICODE = 'V',
    BINUNICODE = 'X',
    APPEND = 'a',
    BUILD = 'b',
    GLOBAL = 'c',
    DICT = 'd',
    EMPTY_DICT = '}',
    APPENDS = 'e',
    GET = 'g',
    BINGET = 'h',
    INST = 'i',
    LONG_BINGET = 'j',
    LIST = 'l',
    EMPTY_LIST = ']',
    OBJ = 'o',
    PUT = 'p',
    BINPUT = 'q',
    LONG_BINPUT = 'r',
    SETITEM = 's',
    TUPLE = 't',
    EMPTY_TUPLE = ')',
    SETITEMS = 'u',
    BINFLOAT = 'G',
    PROTO = 0x80,
    NEWOBJ = 0x81,
    EXT1 = 0x82,
    EXT2 = 0x83,
    EXT4 = 0x84,
    TUPLE1 = 0x85,
    TUPLE2 = 0x86,
    TUPLE3 = 0x87,
    NEWTRUE = 0x88,
    NEWFALSE = 0x89,
    LONG1 = 0x8a,
    LONG4 = 0x8b,
    BINBYTES = 'B',
    SHORT_BINBYTES = 'C',
    SHORT_BINUNICODE = 0x8c,
    BINUNICODE8 = 0x8d,
    BINBYTES8 = 0x8e,
    EMPTY_SET = 0x8f,
    ADDITEMS = 0x90,
    FROZENSET = 0x91,
    NEWOBJ_EX = 0x92,
    STACK_GLOBAL = 0x93,
    MEMOIZE = 0x94,
    FRAME = 0x95,
    BYTEARRAY8 = 0x96,
    NEXT_BUFFER = 0x97,
    READONLY_BUFFER = 0x98,
};

constexpr int kHighestProtocol = 5;

QString keyIndexName(const PyObject* key)
{
    if (const auto* s = key->as<PyString>())
        return QLatin1String("s:") + s->value;
    if (const auto* i = key->as<PyInt>())
        return QLatin1String("i:") + i->toString();
    return {};
}

// Python's string-escape decoding for protocol 0 STRING arguments ('abc\n' with quotes).
QByteArray decodeEscapedString(QByteArrayView quoted, bool* ok)
{
    *ok = false;
    if (quoted.size() < 2 || quoted.front() != quoted.back() || (quoted.front() != '\'' && quoted.front() != '"'))
        return {};
    QByteArrayView body = quoted.sliced(1, quoted.size() - 2);
    QByteArray out;
    out.reserve(body.size());
    for (qsizetype i = 0; i < body.size(); ++i) {
        char c = body[i];
        if (c != '\\') {
            out.append(c);
            continue;
        }
        if (++i >= body.size())
            return {};
        c = body[i];
        switch (c) {
        case '\n': break;
        case '\\': out.append('\\'); break;
        case '\'': out.append('\''); break;
        case '"': out.append('"'); break;
        case 'a': out.append('\a'); break;
        case 'b': out.append('\b'); break;
        case 'f': out.append('\f'); break;
        case 'n': out.append('\n'); break;
        case 'r': out.append('\r'); break;
        case 't': out.append('\t'); break;
        case 'v': out.append('\v'); break;
        case 'x': {
            if (i + 2 >= body.size())
                return {};
            bool hexOk = false;
            const int v = body.sliced(i + 1, 2).toByteArray().toInt(&hexOk, 16);
            if (!hexOk)
                return {};
            out.append(static_cast<char>(v));
            i += 2;
            break;
        }
        default:
            if (c >= '0' && c <= '7') {
                int v = 0;
                int n = 0;
                while (n < 3 && i < body.size() && body[i] >= '0' && body[i] <= '7') {
                    v = v * 8 + (body[i] - '0');
                    ++i;
                    ++n;
                }
                --i;
                out.append(static_cast<char>(v & 0xff));
            } else {
                out.append('\\');
                out.append(c);
            }
        }
    }
    *ok = true;
    return out;
}

// raw-unicode-escape, as protocol 0 UNICODE uses: \uXXXX and \UXXXXXXXX escapes, other bytes are Latin-1.
QString decodeRawUnicodeEscape(QByteArrayView raw)
{
    QString out;
    out.reserve(raw.size());
    for (qsizetype i = 0; i < raw.size(); ++i) {
        const char c = raw[i];
        if (c == '\\' && i + 1 < raw.size() && (raw[i + 1] == 'u' || raw[i + 1] == 'U')) {
            const int digits = raw[i + 1] == 'u' ? 4 : 8;
            if (i + 1 + digits < raw.size()) {
                bool ok = false;
                const uint code = raw.sliced(i + 2, digits).toByteArray().toUInt(&ok, 16);
                if (ok && code <= 0x10FFFF) {
                    const char32_t ucs4 = code;
                    out += QString::fromUcs4(&ucs4, 1);
                    i += 1 + digits;
                    continue;
                }
            }
        }
        out += QChar(static_cast<char16_t>(static_cast<uchar>(c)));
    }
    return out;
}

} // namespace

PickleReader::PickleReader(PyArena& arena, QByteArrayView data, QString where)
    : m_arena(arena), m_data(data), m_where(std::move(where))
{
    m_firstOpcode.fill(-1);
}

void PickleReader::fail(const QString& what) const
{
    throw FormatError(m_where + QLatin1String(": ") + what + QLatin1String(" at offset ") +
                      QString::number(m_opcodeOffset));
}

void PickleReader::need(qsizetype bytes) const
{
    if (bytes < 0 || bytes > m_data.size() - m_pos) {
        fail(QLatin1String("truncated pickle (needs ") + QString::number(bytes) + QLatin1String(" bytes, ") +
             QString::number(m_data.size() - m_pos) + QLatin1String(" left)"));
    }
}

quint8 PickleReader::readByte()
{
    need(1);
    return static_cast<quint8>(m_data[m_pos++]);
}

quint64 PickleReader::readUInt(int bytes)
{
    need(bytes);
    quint64 v = 0;
    for (int i = bytes - 1; i >= 0; --i)
        v = (v << 8) | static_cast<quint8>(m_data[m_pos + i]);
    m_pos += bytes;
    return v;
}

QByteArrayView PickleReader::readBytes(quint64 count)
{
    // Compare before converting: a length of 2^60 must not wrap into something that looks small.
    if (count > static_cast<quint64>(m_data.size() - m_pos)) {
        fail(QLatin1String("length ") + QString::number(count) + QLatin1String(" exceeds the ") +
             QString::number(m_data.size() - m_pos) + QLatin1String(" bytes left"));
    }
    QByteArrayView out = m_data.sliced(m_pos, static_cast<qsizetype>(count));
    m_pos += static_cast<qsizetype>(count);
    return out;
}

QByteArrayView PickleReader::readLine()
{
    const QByteArrayView rest = m_data.sliced(m_pos);
    const qsizetype end = rest.indexOf('\n');
    if (end < 0)
        fail(QStringLiteral("unterminated text argument"));
    m_pos += end + 1;
    QByteArrayView line = rest.first(end);
    if (!line.isEmpty() && line.back() == '\r')
        line.chop(1);
    return line;
}

PyObject* PickleReader::pop()
{
    if (m_stack.empty() || (!m_marks.empty() && m_stack.size() <= m_marks.back()))
        fail(QStringLiteral("stack underflow"));
    PyObject* v = m_stack.back();
    m_stack.pop_back();
    return v;
}

PyObject*& PickleReader::top()
{
    if (m_stack.empty() || (!m_marks.empty() && m_stack.size() <= m_marks.back()))
        fail(QStringLiteral("stack underflow"));
    return m_stack.back();
}

std::vector<PyObject*> PickleReader::popMark()
{
    if (m_marks.empty())
        fail(QStringLiteral("no MARK on the stack"));
    const std::size_t mark = m_marks.back();
    m_marks.pop_back();
    std::vector<PyObject*> items(m_stack.begin() + static_cast<std::ptrdiff_t>(mark), m_stack.end());
    m_stack.resize(mark);
    return items;
}

void PickleReader::memoPut(quint64 index)
{
    PyObject* value = top();
    if (index < m_memo.size()) {
        m_memo[index] = value;
    } else if (index == m_memo.size()) {
        m_memo.push_back(value);
    } else {
        m_sparseMemo.insert(index, value);
    }
}

PyObject* PickleReader::memoGet(quint64 index)
{
    if (index < m_memo.size() && m_memo[index])
        return m_memo[index];
    const auto it = m_sparseMemo.constFind(index);
    if (it == m_sparseMemo.constEnd())
        fail(QLatin1String("memo index ") + QString::number(index) + QLatin1String(" out of range"));
    return *it;
}

PickleProfile PickleReader::profile(const QString& record) const
{
    PickleProfile p;
    p.record = record;
    p.firstOpcode = m_firstOpcode;
    p.globals.reserve(m_globals.size());
    for (qsizetype i = 0; i < m_globals.size(); ++i)
        p.globals.push_back({m_globals[i], m_globalOffsets[i]});
    return p;
}

PyObject* PickleReader::makeGlobal(const QString& module, const QString& name)
{
    const QString qualified = module + QLatin1Char('.') + name;
    if (!m_seenGlobals.contains(qualified)) {
        m_seenGlobals.insert(qualified);
        m_globals.push_back(qualified);
        m_globalOffsets.push_back(m_opcodeOffset);
    }
    // One object per name keeps identity checks (e.g. "is this FloatStorage") cheap and memory flat.
    auto it = m_globalObjects.constFind(qualified);
    if (it != m_globalObjects.constEnd())
        return *it;
    PyObject* g = m_arena.make<PyGlobal>(module, name);
    m_globalObjects.insert(qualified, g);
    return g;
}

PyObject* PickleReader::makeInt(QByteArrayView littleEndian)
{
    // Drop redundant sign-extension bytes so that values which fit in 64 bits are plain ints.
    qsizetype n = littleEndian.size();
    if (n == 0)
        return m_arena.make<PyInt>(0);
    const bool negative = (static_cast<quint8>(littleEndian[n - 1]) & 0x80) != 0;
    const quint8 fill = negative ? 0xff : 0x00;
    while (n > 1 && static_cast<quint8>(littleEndian[n - 1]) == fill &&
           ((static_cast<quint8>(littleEndian[n - 2]) & 0x80) != 0) == negative)
        --n;
    if (n <= 8) {
        quint64 v = negative ? ~quint64(0) : 0;
        for (qsizetype i = n - 1; i >= 0; --i)
            v = (v << 8) | static_cast<quint8>(littleEndian[i]);
        if (n < 8 && negative)
            v |= ~quint64(0) << (8 * n);
        return m_arena.make<PyInt>(static_cast<qint64>(v));
    }
    auto* big = m_arena.make<PyInt>(0);
    big->bigLittleEndian = littleEndian.first(n).toByteArray();
    return big;
}

PyObject* PickleReader::makeIntFromText(QByteArrayView text)
{
    QByteArray digits = text.trimmed().toByteArray();
    if (digits.endsWith('L'))
        digits.chop(1);
    bool ok = false;
    const qint64 v = digits.toLongLong(&ok, 10);
    if (ok)
        return m_arena.make<PyInt>(v);
    const bool negative = digits.startsWith('-');
    if (negative || digits.startsWith('+'))
        digits.remove(0, 1);
    if (digits.isEmpty() || !std::all_of(digits.cbegin(), digits.cend(), [](char c) { return c >= '0' && c <= '9'; }))
        fail(QLatin1String("invalid integer literal '") + QString::fromLatin1(text.toByteArray()) + QLatin1Char('\''));
    // Decimal to little-endian base 256, then two's complement for negative values.
    QByteArray bytes(1, '\0');
    for (char c : digits) {
        int carry = c - '0';
        for (auto& b : bytes) {
            const int v = static_cast<quint8>(b) * 10 + carry;
            b = static_cast<char>(v & 0xff);
            carry = v >> 8;
        }
        while (carry) {
            bytes.append(static_cast<char>(carry & 0xff));
            carry >>= 8;
        }
    }
    bytes.append('\0');
    if (negative) {
        int carry = 1;
        for (auto& b : bytes) {
            const int v = (~static_cast<quint8>(b) & 0xff) + carry;
            b = static_cast<char>(v & 0xff);
            carry = v >> 8;
        }
    }
    return makeInt(bytes);
}

void PickleReader::append(PyObject* target, const std::vector<PyObject*>& items)
{
    if (auto* list = target->as<PySequence>(); list && target->is(PyKind::List)) {
        list->items.reserve(list->items.size() + static_cast<qsizetype>(items.size()));
        for (auto* item : items)
            list->items.push_back(item);
    } else if (auto* opaque = target->as<PyOpaque>()) {
        for (auto* item : items)
            opaque->listItems.push_back(item);
    } else {
        fail(QStringLiteral("APPEND to an object that is not a list"));
    }
}

void PickleReader::setItems(PyObject* target, const std::vector<PyObject*>& keyValues)
{
    if (keyValues.size() % 2 != 0)
        fail(QStringLiteral("SETITEMS with an odd number of items"));
    if (auto* dict = target->as<PyDict>()) {
        for (std::size_t i = 0; i < keyValues.size(); i += 2) {
            const QString indexName = keyIndexName(keyValues[i]);
            if (!indexName.isEmpty()) {
                auto it = dict->keyIndex.constFind(indexName);
                if (it != dict->keyIndex.constEnd()) {
                    dict->items[*it].second = keyValues[i + 1];
                    continue;
                }
                dict->keyIndex.insert(indexName, dict->items.size());
            }
            dict->items.push_back({keyValues[i], keyValues[i + 1]});
        }
    } else if (auto* opaque = target->as<PyOpaque>()) {
        for (std::size_t i = 0; i < keyValues.size(); i += 2)
            opaque->dictItems.push_back({keyValues[i], keyValues[i + 1]});
    } else {
        fail(QStringLiteral("SETITEM on an object that is not a dict"));
    }
}

void PickleReader::addItems(PyObject* target, const std::vector<PyObject*>& items)
{
    if (!target->is(PyKind::Set))
        fail(QStringLiteral("ADDITEMS on an object that is not a set"));
    auto* set = target->as<PySequence>();
    for (auto* item : items)
        set->items.push_back(item);
}

void PickleReader::build(PyObject* target, PyObject* state)
{
    if (auto* dict = target->as<PyDict>()) {
        dict->state = state;
    } else if (auto* opaque = target->as<PyOpaque>()) {
        opaque->state = state;
    } else if (auto* tensor = target->as<PyTensor>()) {
        tensor->subclassState = state;
    } else {
        fail(QStringLiteral("BUILD on an object that has no state"));
    }
}

PyObject* PickleReader::call(PyObject* callable, PyObject* args, PyObject* kwargs, int construction)
{
    if (!args->is(PyKind::Tuple))
        fail(QStringLiteral("call arguments are not a tuple"));
    const auto* global = callable->as<PyGlobal>();
    if (global && construction == static_cast<int>(PyOpaque::Construction::Reduce)) {
        auto cached = m_interpreters.constFind(global);
        if (cached == m_interpreters.constEnd())
            cached = m_interpreters.insert(global, findCallInterpreter(global->qualifiedName()));
        try {
            if (*cached) {
                if (PyObject* known = interpretCall(**cached, m_arena, *global, *args->as<PySequence>()))
                    return known;
            }
        } catch (const FormatError& e) {
            fail(e.message());
        }
    }
    auto* opaque = m_arena.make<PyOpaque>();
    opaque->callable = global;
    opaque->callableObject = global ? nullptr : callable;
    opaque->construction = static_cast<PyOpaque::Construction>(construction);
    opaque->args = args;
    opaque->kwargs = kwargs;
    return opaque;
}

PyObject* PickleReader::persistent(PyObject* pid)
{
    if (!m_persistentLoad)
        fail(QStringLiteral("persistent id in a pickle that has no storages"));
    try {
        PyObject* result = m_persistentLoad(pid);
        if (!result)
            fail(QStringLiteral("unresolvable persistent id"));
        return result;
    } catch (const FormatError& e) {
        fail(e.message());
    }
}

PyObject* PickleReader::load()
{
    m_stack.clear();
    m_marks.clear();
    m_memo.clear();
    m_sparseMemo.clear();
    for (;;) {
        m_opcodeOffset = m_pos;
        if (m_pos >= m_data.size())
            fail(QStringLiteral("pickle ends before STOP"));
        const quint8 op = readByte();
        if (m_firstOpcode[op] < 0)
            m_firstOpcode[op] = m_opcodeOffset;
        switch (op) {
        case PROTO: {
            const quint8 protocol = readByte();
            if (protocol > kHighestProtocol)
                fail(QLatin1String("unsupported pickle protocol ") + QString::number(protocol));
            break;
        }
        case FRAME:
            // Frames only group opcodes for buffering; check that the length is plausible and read on.
            if (readUInt(8) > static_cast<quint64>(m_data.size() - m_pos))
                fail(QStringLiteral("frame longer than the data"));
            break;
        case STOP: {
            PyObject* result = pop();
            m_memo.clear();
            m_sparseMemo.clear();
            return result;
        }
        case MARK:
            m_marks.push_back(m_stack.size());
            break;
        case POP:
            if (!m_marks.empty() && m_stack.size() == m_marks.back())
                m_marks.pop_back(); // POP of a MARK, as CPython allows
            else
                pop();
            break;
        case POP_MARK:
            popMark();
            break;
        case DUP:
            m_stack.push_back(top());
            break;

        case NONE:
            m_stack.push_back(m_arena.none());
            break;
        case NEWTRUE:
            m_stack.push_back(m_arena.boolean(true));
            break;
        case NEWFALSE:
            m_stack.push_back(m_arena.boolean(false));
            break;
        case INT: {
            const QByteArrayView line = readLine();
            if (line == "00")
                m_stack.push_back(m_arena.boolean(false));
            else if (line == "01")
                m_stack.push_back(m_arena.boolean(true));
            else
                m_stack.push_back(makeIntFromText(line));
            break;
        }
        case LONG:
            m_stack.push_back(makeIntFromText(readLine()));
            break;
        case BININT:
            m_stack.push_back(m_arena.integer(static_cast<qint32>(readUInt(4))));
            break;
        case BININT1:
            m_stack.push_back(m_arena.integer(static_cast<qint64>(readUInt(1))));
            break;
        case BININT2:
            m_stack.push_back(m_arena.integer(static_cast<qint64>(readUInt(2))));
            break;
        case LONG1:
            m_stack.push_back(makeInt(readBytes(readUInt(1))));
            break;
        case LONG4: {
            const qint32 n = static_cast<qint32>(readUInt(4));
            if (n < 0)
                fail(QStringLiteral("negative LONG4 length"));
            m_stack.push_back(makeInt(readBytes(static_cast<quint64>(n))));
            break;
        }
        case FLOAT: {
            bool ok = false;
            const double v = readLine().toByteArray().trimmed().toDouble(&ok);
            if (!ok)
                fail(QStringLiteral("invalid float literal"));
            m_stack.push_back(m_arena.make<PyFloat>(v));
            break;
        }
        case BINFLOAT: {
            const quint64 bits = qFromBigEndian<quint64>(readBytes(8).data());
            double v;
            std::memcpy(&v, &bits, sizeof v);
            m_stack.push_back(m_arena.make<PyFloat>(v));
            break;
        }

        case STRING: {
            bool ok = false;
            const QByteArray bytes = decodeEscapedString(readLine(), &ok);
            if (!ok)
                fail(QStringLiteral("invalid STRING literal"));
            m_stack.push_back(m_arena.make<PyString>(QString::fromUtf8(bytes)));
            break;
        }
        case BINSTRING: {
            const qint32 n = static_cast<qint32>(readUInt(4));
            if (n < 0)
                fail(QStringLiteral("negative BINSTRING length"));
            m_stack.push_back(m_arena.make<PyString>(QString::fromUtf8(readBytes(static_cast<quint64>(n)))));
            break;
        }
        case SHORT_BINSTRING:
            m_stack.push_back(m_arena.make<PyString>(QString::fromUtf8(readBytes(readUInt(1)))));
            break;
        case UNICODE:
            m_stack.push_back(m_arena.make<PyString>(decodeRawUnicodeEscape(readLine())));
            break;
        case SHORT_BINUNICODE:
            m_stack.push_back(m_arena.make<PyString>(QString::fromUtf8(readBytes(readUInt(1)))));
            break;
        case BINUNICODE:
            m_stack.push_back(m_arena.make<PyString>(QString::fromUtf8(readBytes(readUInt(4)))));
            break;
        case BINUNICODE8:
            m_stack.push_back(m_arena.make<PyString>(QString::fromUtf8(readBytes(readUInt(8)))));
            break;
        case SHORT_BINBYTES:
            m_stack.push_back(m_arena.make<PyBytes>(PyKind::Bytes, readBytes(readUInt(1)).toByteArray()));
            break;
        case BINBYTES:
            m_stack.push_back(m_arena.make<PyBytes>(PyKind::Bytes, readBytes(readUInt(4)).toByteArray()));
            break;
        case BINBYTES8:
            m_stack.push_back(m_arena.make<PyBytes>(PyKind::Bytes, readBytes(readUInt(8)).toByteArray()));
            break;
        case BYTEARRAY8:
            m_stack.push_back(m_arena.make<PyBytes>(PyKind::ByteArray, readBytes(readUInt(8)).toByteArray()));
            break;
        case NEXT_BUFFER:
            fail(QStringLiteral("pickle refers to out-of-band buffers, which a file cannot carry"));
        case READONLY_BUFFER:
            top();
            break;

        case EMPTY_LIST:
            m_stack.push_back(m_arena.make<PySequence>(PyKind::List));
            break;
        case EMPTY_TUPLE:
            m_stack.push_back(m_arena.make<PySequence>(PyKind::Tuple));
            break;
        case EMPTY_DICT:
            m_stack.push_back(m_arena.make<PyDict>());
            break;
        case EMPTY_SET:
            m_stack.push_back(m_arena.make<PySequence>(PyKind::Set));
            break;
        case LIST:
        case TUPLE:
        case FROZENSET: {
            auto items = popMark();
            auto* seq = m_arena.make<PySequence>(op == LIST    ? PyKind::List
                                                 : op == TUPLE ? PyKind::Tuple
                                                               : PyKind::FrozenSet);
            seq->items = QVector<PyObject*>(items.begin(), items.end());
            m_stack.push_back(seq);
            break;
        }
        case TUPLE1:
        case TUPLE2:
        case TUPLE3: {
            const int n = op - TUPLE1 + 1;
            auto* seq = m_arena.make<PySequence>(PyKind::Tuple);
            seq->items.resize(n);
            for (int i = n - 1; i >= 0; --i)
                seq->items[i] = pop();
            m_stack.push_back(seq);
            break;
        }
        case DICT: {
            auto items = popMark();
            auto* dict = m_arena.make<PyDict>();
            setItems(dict, items);
            m_stack.push_back(dict);
            break;
        }
        case APPEND: {
            PyObject* item = pop();
            append(top(), {item});
            break;
        }
        case APPENDS: {
            auto items = popMark();
            append(top(), items);
            break;
        }
        case SETITEM: {
            PyObject* value = pop();
            PyObject* key = pop();
            setItems(top(), {key, value});
            break;
        }
        case SETITEMS: {
            auto items = popMark();
            setItems(top(), items);
            break;
        }
        case ADDITEMS: {
            auto items = popMark();
            addItems(top(), items);
            break;
        }

        case PUT: {
            bool ok = false;
            const quint64 index = readLine().toByteArray().toULongLong(&ok);
            if (!ok)
                fail(QStringLiteral("invalid PUT index"));
            memoPut(index);
            break;
        }
        case BINPUT:
            memoPut(readUInt(1));
            break;
        case LONG_BINPUT:
            memoPut(readUInt(4));
            break;
        case MEMOIZE:
            memoPut(static_cast<quint64>(m_memo.size() + static_cast<std::size_t>(m_sparseMemo.size())));
            break;
        case GET: {
            bool ok = false;
            const quint64 index = readLine().toByteArray().toULongLong(&ok);
            if (!ok)
                fail(QStringLiteral("invalid GET index"));
            m_stack.push_back(memoGet(index));
            break;
        }
        case BINGET:
            m_stack.push_back(memoGet(readUInt(1)));
            break;
        case LONG_BINGET:
            m_stack.push_back(memoGet(readUInt(4)));
            break;

        case GLOBAL: {
            const QString module = QString::fromUtf8(readLine());
            const QString name = QString::fromUtf8(readLine());
            m_stack.push_back(makeGlobal(module, name));
            break;
        }
        case STACK_GLOBAL: {
            PyObject* name = pop();
            PyObject* module = pop();
            if (!name->is(PyKind::String) || !module->is(PyKind::String))
                fail(QStringLiteral("STACK_GLOBAL needs two strings"));
            m_stack.push_back(makeGlobal(module->as<PyString>()->value, name->as<PyString>()->value));
            break;
        }
        case EXT1:
        case EXT2:
        case EXT4: {
            // The extension registry lives in the loading process; name the code so the user sees it.
            const quint64 code = readUInt(op == EXT1 ? 1 : op == EXT2 ? 2 : 4);
            m_stack.push_back(makeGlobal(QStringLiteral("copyreg._extension_registry"), QString::number(code)));
            break;
        }
        case REDUCE: {
            PyObject* args = pop();
            PyObject*& callable = top();
            callable = call(callable, args, nullptr, static_cast<int>(PyOpaque::Construction::Reduce));
            break;
        }
        case NEWOBJ: {
            PyObject* args = pop();
            PyObject*& cls = top();
            cls = call(cls, args, nullptr, static_cast<int>(PyOpaque::Construction::NewObj));
            break;
        }
        case NEWOBJ_EX: {
            PyObject* kwargs = pop();
            PyObject* args = pop();
            PyObject*& cls = top();
            cls = call(cls, args, kwargs, static_cast<int>(PyOpaque::Construction::NewObjEx));
            break;
        }
        case INST: {
            const QString module = QString::fromUtf8(readLine());
            const QString name = QString::fromUtf8(readLine());
            auto items = popMark();
            auto* args = m_arena.make<PySequence>(PyKind::Tuple);
            args->items = QVector<PyObject*>(items.begin(), items.end());
            m_stack.push_back(call(makeGlobal(module, name), args, nullptr, static_cast<int>(PyOpaque::Construction::Inst)));
            break;
        }
        case OBJ: {
            auto items = popMark();
            if (items.empty())
                fail(QStringLiteral("OBJ without a class"));
            auto* args = m_arena.make<PySequence>(PyKind::Tuple);
            args->items = QVector<PyObject*>(items.begin() + 1, items.end());
            m_stack.push_back(call(items.front(), args, nullptr, static_cast<int>(PyOpaque::Construction::Obj)));
            break;
        }
        case BUILD: {
            PyObject* state = pop();
            build(top(), state);
            break;
        }
        case PERSID: {
            PyObject* pid = m_arena.make<PyString>(QString::fromUtf8(readLine()));
            m_stack.push_back(persistent(pid));
            break;
        }
        case BINPERSID: {
            PyObject*& pid = top();
            pid = persistent(pid);
            break;
        }
        default:
            fail(QLatin1String("unknown opcode 0x") + QString::number(op, 16).rightJustified(2, QLatin1Char('0')));
        }
    }
}

} // namespace statescope
