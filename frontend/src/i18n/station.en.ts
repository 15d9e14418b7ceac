// The kiosk's case lookup (receipt QR or number), the receipt's upload state, the anonymous
// visitor's cases and the representative's duty chip.
export default {
  station: {
    receipt: {
      uploaded: 'Scan to follow its progress at any time',
      pending: 'Saved on this kiosk. Once it reaches the district platform, the QR shows its progress (it uploads by itself when online); take a photo of the number now',
    },
    anonCases: {
      list: 'Without an ID card, only the cases submitted now are listed',
      empty: 'Nothing submitted yet this time. Tap your ID card to see your earlier cases, or scan the QR on a receipt',
    },
    lookup: {
      open: 'Find a case',
      title: 'Find a case',
      hint: 'Scan the QR on the receipt, or type the case number',
      number: 'Case number',
      search: 'Find',
      ownOnly: 'A number alone opens only a case you submitted with your ID card; for others, scan the receipt\'s QR',
      state: 'State',
      category: 'Category',
      community: 'Community',
      submittedAt: 'Submitted',
      due: 'Due',
      timeline: 'Progress',
      privacy: 'To protect personal information, the text of the case is not shown here',
    },
    duty: {
      signedOutAt: 'Signed out {time}',
    },
  },
}
