// The Redis driver lands with issue 3; this file keeps the target buildable until then.
import CHiredis
