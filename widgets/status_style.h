#pragma once

#include "session/diff_tree_model.h"

#include <QColor>
#include <QString>

namespace statescope {

// How a row status looks: a colour (Meld/WinMerge conventions: changed red, one side only green/grey,
// dtype amber, values blue) and a glyph, so the status stays readable when selected and without colour.
struct StatusStyle
{
    QColor colour;
    QString glyph;
};

StatusStyle statusStyle(RowStatus status);

} // namespace statescope
