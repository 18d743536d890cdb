#pragma once

#include <QString>

namespace bc::test {

// The source tree (BOX_SOURCE_DIR, set by ctest).
QString sourceDir();

// Where build/bin is (BOX_BIN_DIR, set by ctest): box-console and boxctl.
QString binDir();

// The project's shared/ folder (Coolify OpenAPI spec, notes). CI lays a copy beside the
// clone, a developer's tree has it at /work/shared.
QString sharedDir();

} // namespace bc::test
