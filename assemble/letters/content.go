package letters

// Reading content streams token by token: to neutralise a letter's own
// marked content (its tags would clash with the dossier's tree), and for
// the accessibility checker.

import (
	"bytes"
)

// contentOp is an operator and the raw bytes of its operands.
type contentOp struct {
	op       string
	operands [][]byte
	start    int // offset of its first operand (or of the operator)
	end      int // offset after the operator
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

func isDelim(c byte) bool { return bytes.IndexByte([]byte("()<>[]{}/%"), c) >= 0 }

// scanContent calls f for each operator of a content stream. Inline images
// (BI … ID data EI) are one operator "BI". It stops at the end or when f
// returns false.
func scanContent(b []byte, f func(contentOp) bool) {
	var operands [][]byte
	start := -1
	i := 0
	skip := func() {
		for i < len(b) {
			switch {
			case isSpace(b[i]):
				i++
			case b[i] == '%':
				for i < len(b) && b[i] != '\n' && b[i] != '\r' {
					i++
				}
			default:
				return
			}
		}
	}
	// object reads one operand from i and returns its end.
	var object func(depth int) int
	object = func(depth int) int {
		if depth > 32 {
			return len(b)
		}
		j := i
		switch {
		case b[j] == '(':
			n := 0
			for ; j < len(b); j++ {
				switch b[j] {
				case '\\':
					j++
				case '(':
					n++
				case ')':
					n--
				}
				if n == 0 {
					return j + 1
				}
			}
			return len(b)
		case bytes.HasPrefix(b[j:], []byte("<<")):
			i = j + 2
			for {
				skip()
				if i >= len(b) {
					return len(b)
				}
				if bytes.HasPrefix(b[i:], []byte(">>")) {
					return i + 2
				}
				i = object(depth + 1)
			}
		case b[j] == '<':
			k := bytes.IndexByte(b[j:], '>')
			if k < 0 {
				return len(b)
			}
			return j + k + 1
		case b[j] == '[':
			i = j + 1
			for {
				skip()
				if i >= len(b) {
					return len(b)
				}
				if b[i] == ']' {
					return i + 1
				}
				i = object(depth + 1)
			}
		case b[j] == '/':
			j++
			for j < len(b) && !isSpace(b[j]) && !isDelim(b[j]) {
				j++
			}
			return j
		}
		for j < len(b) && !isSpace(b[j]) && !isDelim(b[j]) {
			j++
		}
		if j == i { // a stray delimiter
			j++
		}
		return j
	}
	for {
		skip()
		if i >= len(b) {
			return
		}
		if start < 0 {
			start = i
		}
		c := b[i]
		if c == '(' || c == '<' || c == '[' || c == '/' || c == '-' || c == '+' || c == '.' || c >= '0' && c <= '9' {
			from := i
			i = object(0)
			operands = append(operands, b[from:min(i, len(b))])
			continue
		}
		from := i
		for i < len(b) && !isSpace(b[i]) && !isDelim(b[i]) {
			i++
		}
		if i == from {
			i++
		}
		op := string(b[from:i])
		if op == "true" || op == "false" || op == "null" {
			operands = append(operands, b[from:i])
			continue
		}
		if op == "BI" { // inline image: up to "EI" standing alone
			k := i
			for {
				n := bytes.Index(b[k:], []byte("EI"))
				if n < 0 {
					i = len(b)
					break
				}
				k += n
				if isSpace(b[k-1]) && (k+2 == len(b) || isSpace(b[k+2])) {
					i = k + 2
					break
				}
				k += 2
			}
		}
		if !f(contentOp{op: op, operands: operands, start: start, end: i}) {
			return
		}
		operands, start = nil, -1
	}
}

// neutralise rewrites a letter's marked content as plain, untagged marked
// content (/NecLetter BMC … EMC, balanced as before), but for optional
// content (/OC), which is kept: inside the figure
// that shows the page, its own tags, MCIDs and artifacts would clash with
// the dossier's structure tree. It returns the content unchanged (false)
// when there is none.
func neutralise(b []byte) ([]byte, bool) {
	if !bytes.Contains(b, []byte("BDC")) && !bytes.Contains(b, []byte("BMC")) {
		return b, false
	}
	var out []byte
	prev := 0
	changed := false
	scanContent(b, func(o contentOp) bool {
		// Optional content (/OC, layers) is kept: it hides what its author hid.
		if o.op == "BDC" && len(o.operands) > 0 && string(o.operands[0]) == "/OC" {
			return true
		}
		if o.op == "BDC" || o.op == "BMC" {
			out = append(out, b[prev:o.start]...)
			out = append(out, "/NecLetter BMC"...)
			prev = o.end
			changed = true
		}
		return true
	})
	if !changed {
		return b, false
	}
	return append(out, b[prev:]...), true
}
