// pyObjectTypeName in its three styles, on values torch.save wrote (tests/fixtures/gen_type_names.py): the
// names torch and Python give the types come from the fixture's expected.json.
#include "checkpoint/checkpoint.h"
#include "checkpoint/pyobject_type_name.h"
#include "formats/checkpoint_loader.h"
#include "support/fixtures.h"

#include <QtTest>

using namespace statescope;

class TestPyObjectTypeName : public QObject
{
    Q_OBJECT

private:
    std::shared_ptr<const Checkpoint> m_checkpoint;
    QJsonObject m_types;

    const PyObject* value(const QString& key) const
    {
        const auto* root = m_checkpoint->root()->as<PyDict>();
        return root ? root->value(key) : nullptr;
    }
    QString pythonName(const QString& key, const char* field) const
    {
        return m_types.value(key).toObject().value(QLatin1String(field)).toString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_checkpoint = openCheckpoint(test::fixture(QStringLiteral("type_names.pt")));
        m_types = test::expected(QStringLiteral("type_names.pt")).value(QLatin1String("types")).toObject();
        QVERIFY(!m_types.isEmpty());
    }

    void names_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<int>("kind");
        // Builtins: torch's type(v).__name__ in every style but two: None reads "None" where people read it,
        // and messages call the rarer builtins just a Python object.
        QTest::addColumn<bool>("rareBuiltin");
        QTest::newRow("None") << QStringLiteral("none") << int(PyKind::None) << false;
        QTest::newRow("bool") << QStringLiteral("bool") << int(PyKind::Bool) << false;
        QTest::newRow("int") << QStringLiteral("int") << int(PyKind::Int) << false;
        QTest::newRow("float") << QStringLiteral("float") << int(PyKind::Float) << false;
        QTest::newRow("complex") << QStringLiteral("complex") << int(PyKind::Complex) << true;
        QTest::newRow("str") << QStringLiteral("str") << int(PyKind::String) << false;
        QTest::newRow("bytes") << QStringLiteral("bytes") << int(PyKind::Bytes) << false;
        QTest::newRow("bytearray") << QStringLiteral("bytearray") << int(PyKind::ByteArray) << true;
        QTest::newRow("list") << QStringLiteral("list") << int(PyKind::List) << false;
        QTest::newRow("tuple") << QStringLiteral("tuple") << int(PyKind::Tuple) << false;
        QTest::newRow("set") << QStringLiteral("set") << int(PyKind::Set) << true;
        QTest::newRow("frozenset") << QStringLiteral("frozenset") << int(PyKind::FrozenSet) << true;
        QTest::newRow("dict") << QStringLiteral("dict") << int(PyKind::Dict) << false;
    }
    void names()
    {
        QFETCH(QString, key);
        QFETCH(int, kind);
        QFETCH(bool, rareBuiltin);
        const PyObject* v = value(key);
        QVERIFY(v);
        QCOMPARE(int(v->kind()), kind);
        const QString torchName = pythonName(key, "name");
        QCOMPARE(pyObjectTypeName(v, PyTypeNameStyle::TorchType), torchName);
        const QString readable = v->is(PyKind::None) ? QStringLiteral("None") : torchName;
        QCOMPARE(pyObjectTypeName(v, PyTypeNameStyle::Label), readable);
        QCOMPARE(pyObjectTypeName(v, PyTypeNameStyle::Message),
                 rareBuiltin ? QStringLiteral("Python object") : readable);
    }

    void others_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("torchType");
        QTest::addColumn<QString>("label"); // "=" stands for the type's qualified Python name
        QTest::addColumn<QString>("message");
        QTest::newRow("OrderedDict") << QStringLiteral("ordered_dict") << QStringLiteral("dict")
                                     << QStringLiteral("=") << QStringLiteral("dict");
        QTest::newRow("opaque object") << QStringLiteral("namespace") << QStringLiteral("object")
                                       << QStringLiteral("=") << QStringLiteral("Python object");
        QTest::newRow("global") << QStringLiteral("global") << QStringLiteral("object")
                                << QStringLiteral("global") << QStringLiteral("Python object");
        QTest::newRow("tensor") << QStringLiteral("tensor") << QStringLiteral("object")
                                << QStringLiteral("tensor") << QStringLiteral("Python object");
        QTest::newRow("Parameter") << QStringLiteral("parameter") << QStringLiteral("object")
                                   << QStringLiteral("Parameter") << QStringLiteral("Python object");
    }
    void others()
    {
        QFETCH(QString, key);
        QFETCH(QString, torchType);
        QFETCH(QString, label);
        QFETCH(QString, message);
        const PyObject* v = value(key);
        QVERIFY(v);
        QCOMPARE(pyObjectTypeName(v, PyTypeNameStyle::TorchType), torchType);
        QCOMPARE(pyObjectTypeName(v, PyTypeNameStyle::Label),
                 label == QLatin1String("=") ? pythonName(key, "qualified") : label);
        QCOMPARE(pyObjectTypeName(v, PyTypeNameStyle::Message), message);
    }
};

QTEST_MAIN(TestPyObjectTypeName)
#include "tst_pyobject_type_name.moc"
