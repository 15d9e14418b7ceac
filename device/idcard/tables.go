package idcard

// genders is GB/T 2261.1 as printed on the card.
var genders = map[string]string{"0": "未知", "1": "男", "2": "女", "9": "未说明"}

// nations is GB 3304 with the two catch-all codes 97 and 98.
var nations = map[string]string{
	"01": "汉", "02": "蒙古", "03": "回", "04": "藏", "05": "维吾尔", "06": "苗", "07": "彝", "08": "壮",
	"09": "布依", "10": "朝鲜", "11": "满", "12": "侗", "13": "瑶", "14": "白", "15": "土家", "16": "哈尼",
	"17": "哈萨克", "18": "傣", "19": "黎", "20": "傈僳", "21": "佤", "22": "畲", "23": "高山", "24": "拉祜",
	"25": "水", "26": "东乡", "27": "纳西", "28": "景颇", "29": "柯尔克孜", "30": "土", "31": "达斡尔",
	"32": "仫佬", "33": "羌", "34": "布朗", "35": "撒拉", "36": "毛南", "37": "仡佬", "38": "锡伯",
	"39": "阿昌", "40": "普米", "41": "塔吉克", "42": "怒", "43": "乌孜别克", "44": "俄罗斯", "45": "鄂温克",
	"46": "德昂", "47": "保安", "48": "裕固", "49": "京", "50": "塔塔尔", "51": "独龙", "52": "鄂伦春",
	"53": "赫哲", "54": "门巴", "55": "珞巴", "56": "基诺", "97": "其他", "98": "外国血统中国籍人士",
}

// GenderName returns the printed gender for a GB/T 2261.1 code, or "" when unknown.
func GenderName(code string) string { return genders[code] }

// NationName returns the nation for a two-digit GB 3304 code, or "" when unknown.
func NationName(code string) string { return nations[code] }

// idWeights are the GB 11643 weights of the first 17 digits.
var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

const idCheckChars = "10X98765432"

// IDCheckChar computes the GB 11643 (ISO 7064 MOD 11-2) check character of the first 17
// digits of s. ok is false when s has fewer than 17 leading digits.
func IDCheckChar(s string) (c byte, ok bool) {
	if len(s) < 17 {
		return 0, false
	}
	sum := 0
	for i := range 17 {
		d := s[i]
		if d < '0' || d > '9' {
			return 0, false
		}
		sum += int(d-'0') * idWeights[i]
	}
	return idCheckChars[sum%11], true
}

// ValidIDNumber reports whether s is 18 characters with a correct check character. It covers
// resident ID numbers, HK/Macau/Taiwan permit numbers and the 2023 foreign PR card number.
func ValidIDNumber(s string) bool {
	if len(s) != 18 {
		return false
	}
	c, ok := IDCheckChar(s)
	last := s[17]
	if last == 'x' {
		last = 'X'
	}
	return ok && c == last
}

// validForeignPR2017 reports whether s has the 2017 foreign PR shape: 3 letters, 12 digits.
// That number has no check character, so the shape is all that can be checked.
func validForeignPR2017(s string) bool {
	if len(s) != 15 {
		return false
	}
	for i := range 15 {
		c := s[i]
		if i < 3 && (c < 'A' || c > 'Z') {
			return false
		}
		if i >= 3 && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}
