package calendar

import (
	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/ar"
	"github.com/rickar/cal/v2/at"
	"github.com/rickar/cal/v2/au"
	"github.com/rickar/cal/v2/be"
	"github.com/rickar/cal/v2/bg"
	"github.com/rickar/cal/v2/br"
	"github.com/rickar/cal/v2/ca"
	"github.com/rickar/cal/v2/ch"
	"github.com/rickar/cal/v2/cz"
	"github.com/rickar/cal/v2/de"
	"github.com/rickar/cal/v2/dk"
	"github.com/rickar/cal/v2/es"
	"github.com/rickar/cal/v2/fr"
	"github.com/rickar/cal/v2/gb"
	"github.com/rickar/cal/v2/gr"
	"github.com/rickar/cal/v2/hr"
	"github.com/rickar/cal/v2/ie"
	"github.com/rickar/cal/v2/it"
	"github.com/rickar/cal/v2/jp"
	"github.com/rickar/cal/v2/lt"
	"github.com/rickar/cal/v2/lv"
	"github.com/rickar/cal/v2/mw"
	"github.com/rickar/cal/v2/nc"
	"github.com/rickar/cal/v2/nl"
	"github.com/rickar/cal/v2/no"
	"github.com/rickar/cal/v2/nz"
	"github.com/rickar/cal/v2/pl"
	"github.com/rickar/cal/v2/ro"
	"github.com/rickar/cal/v2/ru"
	"github.com/rickar/cal/v2/se"
	"github.com/rickar/cal/v2/si"
	"github.com/rickar/cal/v2/sk"
	"github.com/rickar/cal/v2/ua"
	"github.com/rickar/cal/v2/us"
	"github.com/rickar/cal/v2/za"
)

// country holds the holiday lists of one country.
type country struct {
	// national lists the holidays of the whole country; nil when the library
	// only has lists per subdivision.
	national []*cal.Holiday
	// subdivisions maps lower-case ISO 3166-2 subdivision codes, without the
	// country prefix, to their lists.
	subdivisions map[string][]*cal.Holiday
}

// countries maps lower-case ISO 3166-1 alpha-2 codes to the holiday lists
// of github.com/rickar/cal/v2. It builds a new map on every call.
func countries() map[string]country {
	return map[string]country{
		"ar": {national: ar.Holidays},
		"at": {national: at.Holidays},
		"au": {subdivisions: map[string][]*cal.Holiday{
			"act": au.HolidaysACT, "nsw": au.HolidaysNSW, "nt": au.HolidaysNT, "qld": au.HolidaysQLD,
			"sa": au.HolidaysSA, "tas": au.HolidaysTAS, "vic": au.HolidaysVIC, "wa": au.HolidaysWA,
		}},
		"be": {national: be.Holidays},
		"bg": {national: bg.Holidays},
		"br": {national: br.Holidays},
		"ca": {national: ca.Holidays},
		"ch": {national: ch.Holidays, subdivisions: map[string][]*cal.Holiday{
			"zh": ch.HolidaysZH, "be": ch.HolidaysBE, "lu": ch.HolidaysLU, "ur": ch.HolidaysUR,
			"sz": ch.HolidaysSZ, "ow": ch.HolidaysOW, "nw": ch.HolidaysNW, "gl": ch.HolidaysGL,
			"zg": ch.HolidaysZG, "fr": ch.HolidaysFR, "so": ch.HolidaysSO, "bs": ch.HolidaysBS,
			"bl": ch.HolidaysBL, "sh": ch.HolidaysSH, "ar": ch.HolidaysAR, "ai": ch.HolidaysAI,
			"sg": ch.HolidaysSG, "gr": ch.HolidaysGR, "ag": ch.HolidaysAG, "tg": ch.HolidaysTG,
			"vd": ch.HolidaysVD, "ti": ch.HolidaysTI, "vs": ch.HolidaysVS, "ne": ch.HolidaysNE,
			"ge": ch.HolidaysGE, "ju": ch.HolidaysJU,
		}},
		"cz": {national: cz.Holidays},
		"de": {national: de.Holidays, subdivisions: map[string][]*cal.Holiday{
			"bw": de.HolidaysBW, "by": de.HolidaysBY, "be": de.HolidaysBE, "bb": de.HolidaysBB,
			"hb": de.HolidaysHB, "hh": de.HolidaysHH, "he": de.HolidaysHE, "mv": de.HolidaysMV,
			"ni": de.HolidaysNI, "nw": de.HolidaysNW, "rp": de.HolidaysRP, "sl": de.HolidaysSL,
			"sn": de.HolidaysSN, "st": de.HolidaysST, "sh": de.HolidaysSH, "th": de.HolidaysTH,
		}},
		"dk": {national: dk.Holidays},
		"es": {national: es.Holidays},
		"fr": {national: fr.Holidays},
		"gb": {national: gb.Holidays},
		"gr": {national: gr.Holidays},
		"hr": {national: hr.Holidays},
		"ie": {national: ie.Holidays},
		"it": {national: it.Holidays},
		"jp": {national: jp.Holidays},
		"lt": {national: lt.Holidays},
		"lv": {national: lv.Holidays},
		"mw": {national: mw.Holidays},
		"nc": {national: nc.Holidays},
		"nl": {national: nl.Holidays},
		"no": {national: no.Holidays},
		"nz": {national: nz.Holidays},
		"pl": {national: pl.Holidays},
		"ro": {national: ro.Holidays},
		"ru": {national: ru.Holidays},
		"se": {national: se.Holidays},
		"si": {national: si.Holidays},
		"sk": {national: sk.Holidays},
		"ua": {national: ua.Holidays},
		"us": {national: us.Holidays},
		"za": {national: za.Holidays},
	}
}
