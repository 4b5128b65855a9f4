package letters

// An accessibility checker: the rules of PDF/UA-1 that software can test
// (the Matterhorn Protocol's « machine » failure conditions that concern
// what necdossier writes). The tests run it on every dossier they build;
// build claims PDF/UA-1 only for a document it passes.

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// The rules checked, named by their Matterhorn Protocol 1.02 failure
// condition, or by the clause of ISO 14289-1 (UA1) or ISO 32000-1 that
// states them when the protocol gives them no number of their own.
const (
	RuleArtifactInTagged = "01-003" // content marked as artifact inside tagged content
	RuleTaggedInArtifact = "01-004" // tagged content inside an artifact
	RuleUntagged         = "01-005" // content neither tagged nor artifact
	RuleMarked           = "UA1:7.1-MarkInfo"
	RuleParentTree       = "ISO32000:14.7.4.4" // MCIDs and the parent tree, both ways
	RuleRoleMap          = "02-001"            // a non-standard type not mapped to a standard one
	RuleMetadata         = "06-001"            // no XMP metadata
	RuleUAID             = "06-002"            // no PDF/UA identifier in the metadata
	RuleDCTitle          = "06-003"            // no dc:title in the metadata
	RuleDisplayDocTitle  = "07-001"            // ViewerPreferences without DisplayDocTitle
	RuleDisplayDocFalse  = "07-002"            // DisplayDocTitle false
	RuleTable            = "09-004"            // table elements out of their structure
	RuleList             = "09-005"            // list elements out of their structure
	RuleTOC              = "ISO32000:14.8.4.3-TOC"
	RuleLang             = "11-006"     // no natural language for the document
	RuleFigureAlt        = "13-004"     // a Figure without alternative text
	RuleFirstHeading     = "14-002"     // the first heading is not H1
	RuleHeadingSkip      = "14-003"     // a heading level skipped
	RuleTHScope          = "15-003"     // a TH without Scope
	RuleLinkTag          = "28-011"     // a link annotation not in a Link element
	RuleLinkContents     = "UA1:7.18.5" // a link annotation without Contents
	RuleTabs             = "UA1:7.18.3" // a page with annotations without /Tabs /S
	RuleFontEmbedded     = "UA1:7.21.4.1"
	RuleToUnicode        = "UA1:7.21.7"
)

// UAFinding is one failure of the checks.
type UAFinding struct {
	Rule    string
	Page    int // 1-based, 0 for the document
	Message string
}

func (f UAFinding) String() string {
	if f.Page > 0 {
		return fmt.Sprintf("%s (page %d) : %s", f.Rule, f.Page, f.Message)
	}
	return f.Rule + " : " + f.Message
}

var standardTypes = map[string]bool{}

func init() {
	for _, s := range strings.Fields(`Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private
		P H H1 H2 H3 H4 H5 H6 L LI Lbl LBody Table TR TH TD THead TBody TFoot Span Quote Note Reference BibEntry
		Code Link Annot Ruby Warichu RB RT RP WT WP Figure Formula Form`) {
		standardTypes[s] = true
	}
}

// CheckUA checks a PDF against the machine-checkable rules of PDF/UA-1.
// The error is for a file it cannot read.
func CheckUA(pdf []byte) ([]UAFinding, error) {
	c, cancel := context.WithTimeout(context.Background(), readTimeout)
	defer cancel()
	ctx, err := pdfcpu.ReadWithContext(c, bytes.NewReader(pdf), PdfConf())
	if err != nil {
		return nil, err
	}
	if err := ctx.EnsurePageCount(); err != nil {
		return nil, err
	}
	u := &uaCheck{x: ctx.XRefTable, seen: map[string]bool{}}
	u.run(ctx)
	return u.out, nil
}

type uaCheck struct {
	x    *model.XRefTable
	out  []UAFinding
	seen map[string]bool
}

func (u *uaCheck) add(rule string, page int, format string, args ...any) {
	f := UAFinding{Rule: rule, Page: page, Message: fmt.Sprintf(format, args...)}
	if k := f.String(); !u.seen[k] && len(u.out) < 500 {
		u.seen[k] = true
		u.out = append(u.out, f)
	}
}

type mcKey struct{ page, mcid int }

func (u *uaCheck) run(ctx *model.Context) {
	x := u.x
	cat, err := ctx.Catalog()
	if err != nil {
		u.add(RuleUntagged, 0, "catalogue illisible")
		return
	}
	u.metadata(cat)
	vp, _ := deref(x, cat["ViewerPreferences"]).(types.Dict)
	switch v, ok := deref(x, vp["DisplayDocTitle"]).(types.Boolean); {
	case !ok:
		u.add(RuleDisplayDocTitle, 0, "ViewerPreferences sans DisplayDocTitle")
	case !bool(v):
		u.add(RuleDisplayDocFalse, 0, "DisplayDocTitle vaut false")
	}
	if l, _ := deref(x, cat["Lang"]).(types.StringLiteral); strings.TrimSpace(string(l)) == "" {
		if h, _ := deref(x, cat["Lang"]).(types.HexLiteral); h == "" {
			u.add(RuleLang, 0, "pas de /Lang dans le catalogue")
		}
	}
	mi, _ := deref(x, cat["MarkInfo"]).(types.Dict)
	if m, _ := deref(x, mi["Marked"]).(types.Boolean); !bool(m) {
		u.add(RuleMarked, 0, "MarkInfo sans Marked true")
	}
	// Pages by object number.
	pageOf := map[int]int{}
	pages := make([]types.Dict, ctx.PageCount+1)
	for i := 1; i <= ctx.PageCount; i++ {
		d, ref, _, err := ctx.PageDict(i, false)
		if err != nil {
			u.add(RuleUntagged, i, "page illisible")
			return
		}
		pages[i] = d
		if ref != nil {
			pageOf[int(ref.ObjectNumber)] = i
		}
	}
	tree := u.structure(cat, pageOf)
	for i := 1; i <= ctx.PageCount; i++ {
		u.page(i, pages[i], tree)
	}
	u.fonts()
}

func (u *uaCheck) metadata(cat types.Dict) {
	sd, ok := deref(u.x, cat["Metadata"]).(types.StreamDict)
	if !ok || sd.Decode() != nil {
		u.add(RuleMetadata, 0, "pas de métadonnées XMP")
		return
	}
	xmp := string(sd.Content)
	if !strings.Contains(xmp, "pdfuaid:part>1<") && !strings.Contains(xmp, `pdfuaid:part="1"`) {
		u.add(RuleUAID, 0, "pas d’identifiant PDF/UA (pdfuaid:part) dans les métadonnées")
	}
	if !strings.Contains(xmp, "<dc:title>") {
		u.add(RuleDCTitle, 0, "pas de dc:title dans les métadonnées")
	}
}

// structTree is what the checks of the pages need from the tree.
type structTree struct {
	mcr     map[mcKey]int  // marked content → element (object number)
	objr    map[int]int    // annotation → element
	role    map[int]string // element → standard type
	parents map[int]types.Object
}

func (u *uaCheck) resolve(roleMap types.Dict, s string) (string, bool) {
	for range 16 {
		if standardTypes[s] {
			return s, true
		}
		n, ok := deref(u.x, roleMap[s]).(types.Name)
		if !ok {
			return s, false
		}
		s = string(n)
	}
	return s, false
}

func (u *uaCheck) structure(cat types.Dict, pageOf map[int]int) *structTree {
	x := u.x
	t := &structTree{mcr: map[mcKey]int{}, objr: map[int]int{}, role: map[int]string{}, parents: map[int]types.Object{}}
	root, ok := deref(x, cat["StructTreeRoot"]).(types.Dict)
	if !ok {
		u.add(RuleUntagged, 0, "pas d’arbre de structure (StructTreeRoot)")
		return t
	}
	roleMap, _ := deref(x, root["RoleMap"]).(types.Dict)
	for k, v := range roleMap {
		if standardTypes[k] {
			u.add(RuleRoleMap, 0, "le type standard %s est redéfini (%v)", k, v)
		}
	}
	u.numberTree(root["ParentTree"], t.parents, 0)
	lastHeading := 0
	visited := map[int]bool{}
	var walk func(o types.Object, parentRole string, depth int, page int)
	walk = func(o types.Object, parentRole string, depth int, page int) {
		if depth > 100 {
			return
		}
		switch v := o.(type) {
		case types.Array:
			for _, k := range v {
				walk(k, parentRole, depth, page)
			}
			return
		case types.Integer:
			return // handled by the element (needs its number)
		}
		ref, isRef := o.(types.IndirectRef)
		d, _ := deref(x, o).(types.Dict)
		if d == nil {
			return
		}
		if typ, _ := deref(x, d["Type"]).(types.Name); typ == "MCR" || typ == "OBJR" {
			return // handled by the element
		}
		if !isRef {
			u.add(RuleParentTree, 0, "élément de structure direct")
			return
		}
		n := int(ref.ObjectNumber)
		if visited[n] {
			return
		}
		visited[n] = true
		s, _ := deref(x, d["S"]).(types.Name)
		role, ok := u.resolve(roleMap, string(s))
		if !ok {
			u.add(RuleRoleMap, 0, "type %s sans correspondance standard", s)
		}
		t.role[n] = role
		if pg, ok := deref(x, d["Pg"]).(types.IndirectRef); ok {
			_ = pg
		}
		pgOf := func(dd types.Dict) int {
			if pg, ok := dd["Pg"].(types.IndirectRef); ok {
				return pageOf[int(pg.ObjectNumber)]
			}
			if pg, ok := d["Pg"].(types.IndirectRef); ok {
				return pageOf[int(pg.ObjectNumber)]
			}
			return 0
		}
		u.roleRules(d, role, parentRole, &lastHeading)
		var kids types.Array
		switch k := deref(x, d["K"]).(type) {
		case types.Array:
			kids = k
		case nil:
		default:
			kids = types.Array{d["K"]}
		}
		for _, k := range kids {
			switch kv := k.(type) {
			case types.Integer:
				t.mcr[mcKey{pgOf(types.Dict{}), int(kv)}] = n
				continue
			}
			kd, _ := deref(x, k).(types.Dict)
			if kd == nil {
				continue
			}
			switch typ, _ := deref(x, kd["Type"]).(types.Name); typ {
			case "MCR":
				if m, ok := deref(x, kd["MCID"]).(types.Integer); ok {
					t.mcr[mcKey{pgOf(kd), int(m)}] = n
				}
			case "OBJR":
				if a, ok := kd["Obj"].(types.IndirectRef); ok {
					t.objr[int(a.ObjectNumber)] = n
				}
			default:
				walk(k, role, depth+1, page)
			}
		}
	}
	walk(root["K"], "", 0, 0)
	return t
}

// numberTree flattens a number tree into m.
func (u *uaCheck) numberTree(o types.Object, m map[int]types.Object, depth int) {
	d, _ := deref(u.x, o).(types.Dict)
	if d == nil || depth > 32 {
		return
	}
	nums, _ := deref(u.x, d["Nums"]).(types.Array)
	for i := 0; i+1 < len(nums); i += 2 {
		if k, ok := deref(u.x, nums[i]).(types.Integer); ok {
			m[int(k)] = nums[i+1]
		}
	}
	kids, _ := deref(u.x, d["Kids"]).(types.Array)
	for _, k := range kids {
		u.numberTree(k, m, depth+1)
	}
}

// roleRules checks an element against its parent: headings, figures,
// tables, lists, contents.
func (u *uaCheck) roleRules(d types.Dict, role, parent string, last *int) {
	x := u.x
	if len(role) == 2 && role[0] == 'H' && role[1] >= '1' && role[1] <= '6' {
		lvl := int(role[1] - '0')
		if *last == 0 && lvl != 1 {
			u.add(RuleFirstHeading, 0, "le premier titre est %s", role)
		}
		if *last > 0 && lvl > *last+1 {
			u.add(RuleHeadingSkip, 0, "H%d suivi de %s", *last, role)
		}
		*last = lvl
	}
	in := func(s string, set ...string) bool {
		for _, v := range set {
			if s == v {
				return true
			}
		}
		return false
	}
	switch role {
	case "Figure":
		alt, _ := deref(x, d["Alt"]).(types.StringLiteral)
		halt, _ := deref(x, d["Alt"]).(types.HexLiteral)
		at, _ := deref(x, d["ActualText"]).(types.StringLiteral)
		if alt == "" && halt == "" && at == "" && d["ActualText"] == nil {
			u.add(RuleFigureAlt, 0, "Figure sans texte de remplacement (Alt)")
		}
	case "TH":
		if !u.hasScope(d) && d["ID"] == nil {
			u.add(RuleTHScope, 0, "TH sans Scope")
		}
	}
	switch {
	case in(role, "TR") && !in(parent, "Table", "THead", "TBody", "TFoot"),
		in(role, "TH", "TD") && parent != "TR",
		in(role, "THead", "TBody", "TFoot") && parent != "Table",
		in(parent, "Table") && !in(role, "TR", "THead", "TBody", "TFoot", "Caption"),
		in(parent, "THead", "TBody", "TFoot") && role != "TR",
		parent == "TR" && !in(role, "TH", "TD"):
		u.add(RuleTable, 0, "%s dans %s", role, parent)
	case role == "LI" && parent != "L",
		in(role, "Lbl", "LBody") && parent != "LI" && parent != "TOCI",
		parent == "L" && !in(role, "LI", "L", "Caption"),
		parent == "LI" && !in(role, "Lbl", "LBody"):
		u.add(RuleList, 0, "%s dans %s", role, parent)
	case role == "TOCI" && parent != "TOC",
		parent == "TOC" && !in(role, "TOCI", "TOC", "Caption"):
		u.add(RuleTOC, 0, "%s dans %s", role, parent)
	}
}

func (u *uaCheck) hasScope(d types.Dict) bool {
	check := func(o types.Object) bool {
		a, _ := deref(u.x, o).(types.Dict)
		_, ok := deref(u.x, a["Scope"]).(types.Name)
		return ok
	}
	switch a := deref(u.x, d["A"]).(type) {
	case types.Dict:
		return check(a)
	case types.Array:
		for _, o := range a {
			if check(o) {
				return true
			}
		}
	}
	return false
}

// mc is an open marked-content sequence.
type mc struct {
	mcid     int // -1 when none
	artifact bool
}

// page checks a page's content and annotations.
func (u *uaCheck) page(i int, pd types.Dict, t *structTree) {
	x := u.x
	var content []byte
	switch c := deref(x, pd["Contents"]).(type) {
	case types.StreamDict:
		if c.Decode() == nil {
			content = c.Content
		}
	case types.Array:
		for _, o := range c {
			if sd, ok := deref(x, o).(types.StreamDict); ok && sd.Decode() == nil {
				content = append(append(content, sd.Content...), '\n')
			}
		}
	}
	res, _ := deref(x, pd["Resources"]).(types.Dict)
	used := map[int]bool{}
	u.content(i, content, res, nil, used, 0)
	// Both ways: each MCID drawn is in the parent tree and the tree
	// holds it; each one the tree holds is drawn.
	sp, hasSP := deref(x, pd["StructParents"]).(types.Integer)
	var arr types.Array
	if hasSP {
		arr, _ = deref(x, t.parents[int(sp)]).(types.Array)
	}
	for mcid := range used {
		el := t.mcr[mcKey{i, mcid}]
		var pt int
		if mcid < len(arr) {
			if r, ok := arr[mcid].(types.IndirectRef); ok {
				pt = int(r.ObjectNumber)
			}
		}
		if el == 0 || pt != el {
			u.add(RuleParentTree, i, "MCID %d : élément %d dans l’arbre, %d dans l’arbre des parents", mcid, el, pt)
		}
	}
	var missing []int
	for k := range t.mcr {
		if k.page == i && !used[k.mcid] {
			missing = append(missing, k.mcid)
		}
	}
	sort.Ints(missing)
	for _, m := range missing {
		u.add(RuleParentTree, i, "MCID %d de l’arbre absent du contenu", m)
	}
	annots, _ := deref(x, pd["Annots"]).(types.Array)
	if len(annots) > 0 {
		if tabs, _ := deref(x, pd["Tabs"]).(types.Name); tabs != "S" {
			u.add(RuleTabs, i, "page annotée sans /Tabs /S")
		}
	}
	for _, a := range annots {
		ad, _ := deref(x, a).(types.Dict)
		if st, _ := deref(x, ad["Subtype"]).(types.Name); st != "Link" {
			continue
		}
		el := 0
		if r, ok := a.(types.IndirectRef); ok {
			el = t.objr[int(r.ObjectNumber)]
		}
		sp, ok := deref(x, ad["StructParent"]).(types.Integer)
		pt := 0
		if r, isRef := t.parents[int(sp)].(types.IndirectRef); ok && isRef {
			pt = int(r.ObjectNumber)
		}
		if el == 0 || pt != el || t.role[el] != "Link" {
			u.add(RuleLinkTag, i, "lien hors d’un élément Link")
		}
		if c, _ := deref(x, ad["Contents"]).(types.StringLiteral); c == "" {
			if h, _ := deref(x, ad["Contents"]).(types.HexLiteral); h == "" {
				u.add(RuleLinkContents, i, "lien sans description (Contents)")
			}
		}
	}
}

var paintOps = map[string]bool{"Tj": true, "TJ": true, "'": true, `"`: true, "S": true, "s": true, "f": true,
	"F": true, "f*": true, "B": true, "B*": true, "b": true, "b*": true, "sh": true, "Do": true, "BI": true}

// content checks marked content: stack is what is open around it (a
// form XObject inherits the sequence it is drawn in).
func (u *uaCheck) content(page int, b []byte, res types.Dict, stack []mc, used map[int]bool, depth int) {
	x := u.x
	base := len(stack)
	scanContent(b, func(o contentOp) bool {
		tagged, artifact := false, false
		for _, m := range stack {
			tagged = tagged || m.mcid >= 0
			artifact = artifact || m.artifact
		}
		switch {
		case o.op == "BDC" || o.op == "BMC":
			m := mc{mcid: -1}
			if len(o.operands) > 0 {
				m.artifact = string(o.operands[0]) == "/Artifact"
			}
			if o.op == "BDC" && len(o.operands) == 2 && depth == 0 {
				if k := bytes.Index(o.operands[1], []byte("/MCID")); k >= 0 {
					var id int
					if _, err := fmt.Sscan(string(o.operands[1][k+5:]), &id); err == nil {
						m.mcid = id
						used[id] = true
					}
				}
			}
			if m.artifact && tagged {
				u.add(RuleArtifactInTagged, page, "artefact dans du contenu balisé")
			}
			if m.mcid >= 0 && artifact {
				u.add(RuleTaggedInArtifact, page, "contenu balisé (MCID %d) dans un artefact", m.mcid)
			}
			stack = append(stack, m)
		case o.op == "EMC":
			if len(stack) > base {
				stack = stack[:len(stack)-1]
			}
		case paintOps[o.op]:
			if !tagged && !artifact {
				u.add(RuleUntagged, page, "contenu ni balisé ni artefact (%s)", o.op)
			}
			if o.op == "Do" && len(o.operands) == 1 && depth < 8 {
				xo, _ := deref(x, res["XObject"]).(types.Dict)
				name := strings.TrimPrefix(string(o.operands[0]), "/")
				if sd, ok := deref(x, xo[name]).(types.StreamDict); ok {
					if st, _ := sd.Dict["Subtype"].(types.Name); st == "Form" && sd.Decode() == nil {
						fres, _ := deref(x, sd.Dict["Resources"]).(types.Dict)
						if fres == nil {
							fres = res
						}
						u.content(page, sd.Content, fres, append([]mc(nil), stack...), used, depth+1)
					}
				}
			}
		}
		return true
	})
}

// fonts checks every font of the file.
func (u *uaCheck) fonts() {
	for n, e := range u.x.Table {
		if e == nil || e.Free {
			continue
		}
		// deref decodes an object read from an object stream.
		d, ok := deref(u.x, *types.NewIndirectRef(n, 0)).(types.Dict)
		if !ok || d.Type() == nil || *d.Type() != "Font" {
			continue
		}
		if rule, name := fontFault(u.x, d); rule == RuleFontEmbedded {
			u.add(rule, 0, "police %s non intégrée", name)
		} else if rule != "" {
			u.add(rule, 0, "police %s sans correspondance Unicode (ToUnicode)", name)
		}
	}
}
