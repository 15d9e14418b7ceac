package idcard

import (
	"errors"
	"fmt"
)

// SW3 status codes of the reader/SAM.
const (
	SWSuccess         byte = 0x90
	SWNoContent       byte = 0x91
	SWFindOK          byte = 0x9F
	SWHostChecksum    byte = 0x10
	SWHostLength      byte = 0x11
	SWBadCommand      byte = 0x21
	SWUnauthorised    byte = 0x23
	SWUnrecognised    byte = 0x24
	SWCardAuthSAM     byte = 0x31
	SWSAMAuthCard     byte = 0x32
	SWVerify          byte = 0x33
	SWUnknownCardType byte = 0x40
	SWReadFailed      byte = 0x41
	SWRandom          byte = 0x47
	SWSelfTest        byte = 0x60
	SWSAMUnauthorised byte = 0x66
	SWNoCard          byte = 0x80
	SWSelectFailed    byte = 0x81
)

// Sentinels a StatusError matches with errors.Is.
var (
	ErrNoCard       = errors.New("no card in the field")
	ErrSelectFailed = errors.New("select card failed")
	ErrReadFailed   = errors.New("read card failed")
	ErrNoContent    = errors.New("card has no content for this item")
	ErrSAMSelfTest  = errors.New("SAM self-test failed")
	ErrAuth         = errors.New("card/SAM authentication failed")
	ErrHostFrame    = errors.New("reader rejected the host frame")
	ErrStatus       = errors.New("reader error status")
)

type statusInfo struct {
	zh, en   string
	sentinel error
}

// statusTable holds every SW3 code of the protocol reference.
var statusTable = map[byte]statusInfo{
	SWSuccess:         {"操作成功", "success", nil},
	SWNoContent:       {"证卡中此项无内容", "the card has no content for this item", ErrNoContent},
	SWFindOK:          {"寻找证卡成功", "card found", nil},
	SWHostChecksum:    {"读卡器收到的命令校验和错误", "checksum error in the host frame", ErrHostFrame},
	SWHostLength:      {"读卡器收到的命令长度错误", "length error in the host frame", ErrHostFrame},
	SWBadCommand:      {"读卡器不支持该命令或参数", "bad command or parameters", ErrHostFrame},
	SWUnauthorised:    {"越权操作", "unauthorised operation", ErrStatus},
	SWUnrecognised:    {"读卡器报告无法识别的错误", "unrecognised error", ErrStatus},
	SWCardAuthSAM:     {"证卡认证安全模块失败", "card failed to authenticate the SAM", ErrAuth},
	SWSAMAuthCard:     {"安全模块认证证卡失败", "SAM failed to authenticate the card", ErrAuth},
	SWVerify:          {"信息验证错误", "information verification error", ErrAuth},
	SWUnknownCardType: {"无法识别的证卡类型", "unrecognised card type", ErrStatus},
	SWReadFailed:      {"读卡失败，请重新放卡", "read card failed", ErrReadFailed},
	SWRandom:          {"取随机数失败", "failed to get random number", ErrAuth},
	SWSelfTest:        {"安全模块自检失败，读卡器不能工作", "SAM self-test failed; no commands accepted", ErrSAMSelfTest},
	SWSAMUnauthorised: {"安全模块未经授权", "SAM not authorised", ErrStatus},
	SWNoCard:          {"未找到证卡", "find card failed (no card)", ErrNoCard},
	SWSelectFailed:    {"选取证卡失败", "select card failed", ErrSelectFailed},
}

// StatusError is a non-success SW3 from the reader.
type StatusError struct {
	Code     byte // SW3
	SW1, SW2 byte // forwarded card status, for the log
}

// Message is the plain-Chinese text for the screen.
func (e *StatusError) Message() string {
	if info, ok := statusTable[e.Code]; ok {
		return info.zh
	}
	return fmt.Sprintf("读卡器返回未知状态 %02X", e.Code)
}

// English is the English description for the log.
func (e *StatusError) English() string {
	if info, ok := statusTable[e.Code]; ok {
		return info.en
	}
	return "unknown status"
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("reader status %02X: %s", e.Code, e.English())
}

// Unwrap lets errors.Is match the sentinel of the code's class.
func (e *StatusError) Unwrap() error {
	if info, ok := statusTable[e.Code]; ok && info.sentinel != nil {
		return info.sentinel
	}
	return ErrStatus
}

// StatusCodes lists every SW3 code the package knows, for tests and diagnostics.
func StatusCodes() []byte {
	out := make([]byte, 0, len(statusTable))
	for c := range statusTable {
		out = append(out, c)
	}
	return out
}
