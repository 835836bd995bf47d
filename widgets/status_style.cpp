#include "status_style.h"

namespace statescope {

StatusStyle statusStyle(RowStatus status)
{
    switch (status) {
    case RowStatus::Equal: return {QColor(0x9e, 0x9e, 0x9e), QString()};
    case RowStatus::FilledByTorch: return {QColor(0x78, 0x90, 0x9c), QStringLiteral("\u2022")};   // bullet
    case RowStatus::IgnoredByTorch: return {QColor(0xb0, 0xbe, 0xc5), QStringLiteral("\u2205")};  // empty set
    case RowStatus::MappedByRule: return {QColor(0x7e, 0x57, 0xc2), QStringLiteral("\u2192")};    // arrow
    case RowStatus::ValueDiffers: return {QColor(0x1e, 0x88, 0xe5), QStringLiteral("\u2248")};    // almost equal
    case RowStatus::DtypeDiffers: return {QColor(0xf9, 0xa8, 0x25), QStringLiteral("T")};
    case RowStatus::Unexpected: return {QColor(0x43, 0xa0, 0x47), QStringLiteral("+")};
    case RowStatus::Missing: return {QColor(0x75, 0x75, 0x75), QStringLiteral("\u2212")};          // minus
    case RowStatus::ShapeMismatch: return {QColor(0xe5, 0x39, 0x35), QStringLiteral("\u2260")};   // not equal
    }
    return {};
}

} // namespace statescope
