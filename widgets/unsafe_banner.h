#pragma once

#include <QFrame>

#include <memory>

class QLabel;

namespace statescope {

class Checkpoint;

// The red strip above the trees when an open file's pickle names globals that would run code (os.system,
// builtins.eval, ...) or that torch.load(weights_only=True) refuses. Not a modal: the file is open and safe
// to look at, since nothing in it was ever run. The panes keep their one-line safety note; this is the
// version nobody can miss. Hidden when both files are plain data, or until the next file when dismissed.
class UnsafeBanner : public QFrame
{
    Q_OBJECT
public:
    explicit UnsafeBanner(QWidget* parent = nullptr);

    // `side` 0 is the source, 1 the target; a null checkpoint forgets the side.
    void setCheckpoint(int side, const std::shared_ptr<const Checkpoint>& checkpoint);
    QString text() const;
    bool isDangerous() const { return m_dangerous; }

private:
    void refresh();

    QString m_lines[2];
    bool m_sideDangerous[2] = {false, false};
    bool m_dangerous = false;
    QLabel* m_label = nullptr;
};

// One line about one file: "Unsafe: posix.system in data.pkl of hostile.pt — StateScope never runs it; export
// writes None in its place.", or what torch.load(weights_only=True) stops at and what add_safe_globals would
// need. Empty when torch.load(weights_only=True) reads the file (and for formats without a pickle).
QString unsafeGlobalsText(const Checkpoint& checkpoint, bool* dangerous = nullptr);

} // namespace statescope
