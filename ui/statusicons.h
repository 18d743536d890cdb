#pragma once

#include "core/boxes/boxinfo.h"

#include <QColor>
#include <QIcon>

namespace bc::ui {

// Status colours chosen to read on both light and dark palettes (mid lightness, never
// used as text colour: they are drawn as dots beside palette-coloured text).
enum class Tone { Good, Warning, Bad, Neutral, Busy };

QColor toneColor(Tone tone);
QIcon toneIcon(Tone tone); // a filled dot, cached
Tone stateTone(boxes::BoxInfo::State state);
Tone healthTone(boxes::BoxInfo::Health health);

} // namespace bc::ui
