// The kiosk's case lookup (receipt QR or number), the receipt's upload state, the anonymous
// visitor's cases and the representative's duty chip.
export default {
  station: {
    receipt: {
      uploaded: '扫码可随时查看办理进度',
      pending: '事项已保存在本机。上传到区平台后，扫码即可查看进度（联网后自动上传）；请先拍照记下编号',
    },
    anonCases: {
      list: '无证件使用时，这里只显示本次提交的事项',
      empty: '本次还没有提交事项。刷身份证可查看您以前提交的事项，也可以扫描回执上的二维码查询',
    },
    lookup: {
      open: '查询事项',
      title: '查询事项',
      hint: '请扫描回执上的二维码，或输入事项编号',
      number: '事项编号',
      search: '查询',
      ownOnly: '只输入编号时，只能查看您刷身份证后提交的事项；其他事项请扫描回执二维码',
      state: '办理状态',
      category: '问题分类',
      community: '社区',
      submittedAt: '提交时间',
      due: '办理期限',
      timeline: '办理过程',
      privacy: '为保护个人信息，这里不显示事项内容',
    },
    duty: {
      signedOutAt: '已签退 {time}',
    },
  },
}
