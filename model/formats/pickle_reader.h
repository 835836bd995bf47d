#pragma once

#include "checkpoint/pickle_profile.h"
#include "checkpoint/pyobject.h"

#include <QByteArrayView>
#include <QSet>
#include <QStringList>

#include <functional>
#include <vector>

namespace statescope {

// A safe unpickler for protocols 0-5. It never imports or calls anything: GLOBAL pushes a name, and calling a
// name either builds plain data (see pickle_calls.h) or an inert PyOpaque. Every length, index and count in
// the stream is checked against the bytes that remain, so hostile input ends in a FormatError, not a crash.
class PickleReader
{
public:
    // Turns a persistent id (torch's storage tuple) into an object, or throws FormatError.
    using PersistentLoad = std::function<PyObject*(const PyObject* pid)>;

    // `data` is not copied and must outlive the reader. `where` names the record in messages ("data.pkl", "model.pt: main pickle").
    PickleReader(PyArena& arena, QByteArrayView data, QString where);

    void setPersistentLoad(PersistentLoad load) { m_persistentLoad = std::move(load); }
    // Starts reading at `offset` (legacy files hold several pickles back to back).
    void seek(qsizetype offset) { m_pos = offset; }

    // Reads one pickle up to its STOP and returns the object it describes.
    PyObject* load();

    qsizetype position() const { return m_pos; }
    // Every global the stream names, "module.name", in order of first appearance.
    const QStringList& globals() const { return m_globals; }
    // Where each opcode and global first occurred, for judging the stream as torch's weights_only would.
    PickleProfile profile(const QString& record) const;

private:
    [[noreturn]] void fail(const QString& what) const;
    void need(qsizetype bytes) const;
    quint8 readByte();
    quint64 readUInt(int bytes);
    QByteArrayView readBytes(quint64 count);
    QByteArrayView readLine();

    PyObject* pop();
    PyObject*& top();
    std::vector<PyObject*> popMark();
    void memoPut(quint64 index);
    PyObject* memoGet(quint64 index);

    PyObject* makeGlobal(const QString& module, const QString& name);
    PyObject* makeInt(QByteArrayView littleEndian);
    PyObject* makeIntFromText(QByteArrayView text);
    void append(PyObject* target, const std::vector<PyObject*>& items);
    void setItems(PyObject* target, const std::vector<PyObject*>& keyValues);
    void addItems(PyObject* target, const std::vector<PyObject*>& items);
    void build(PyObject* target, PyObject* state);
    PyObject* call(PyObject* callable, PyObject* args, PyObject* kwargs, int construction);
    PyObject* persistent(PyObject* pid);

    PyArena& m_arena;
    QByteArrayView m_data;
    QString m_where;
    qsizetype m_pos = 0;
    qsizetype m_opcodeOffset = 0;
    std::vector<PyObject*> m_stack;
    std::vector<std::size_t> m_marks;
    // Picklers number memo slots 0, 1, 2, ...: a vector serves them; a hash catches hostile sparse indices.
    std::vector<PyObject*> m_memo;
    QHash<quint64, PyObject*> m_sparseMemo;
    QStringList m_globals;
    QVector<qint64> m_globalOffsets; // parallel to m_globals
    std::array<qint64, 256> m_firstOpcode;
    QSet<QString> m_seenGlobals;
    QHash<QString, PyObject*> m_globalObjects;
    QHash<const PyObject*, const struct CallInterpreter*> m_interpreters;
    PersistentLoad m_persistentLoad;
};

} // namespace statescope
