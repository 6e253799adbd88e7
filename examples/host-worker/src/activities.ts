// The team's own activities, registered beside the plugin's.
export async function stampInvoice(invoiceId: string): Promise<string> {
  return `stamped ${invoiceId}`;
}
