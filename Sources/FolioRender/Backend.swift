import CPangoCairo
import CZint
import CRsvg
