#include "support/testutil.h"
