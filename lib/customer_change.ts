/**
 * The actions that change one customer's state by phone number and answer `{"success": true}` (Close
 * Customer, Unassign Customer): one factory, so each action file is its key, labels, endpoint and sample.
 */
import { type CreatePerform, defineCreate } from 'zapier-platform-core';
import { ENDPOINTS, type SuccessEndpointName } from './api.js';
import { phoneNumberField } from './customer.js';
import { changeConfirmed, stop } from './errors.js';
import { asObject, customerPhoneFrom } from './input.js';
import { tokenOf } from './redact.js';
import { callEndpoint } from './request.js';

interface CustomerChange {
  key: string;
  label: string;
  description: string;
  /** The endpoint of lib/api.ts, whose row names its `successField`; it is sent `{ phone_number }`. */
  endpoint: SuccessEndpointName;
  /** The output's boolean key (`closed`) and its label (`Closed`). */
  flag: string;
  flagLabel: string;
  /** "close", as in "did not close the customer". */
  verb: string;
  /** The likelier causes of Sonar's `success: false`, in a user's words. */
  likely: string;
}

export function customerChangeAction(change: CustomerChange) {
  const { endpoint, flag, verb, likely } = change;
  const perform = (async (z, bundle) => {
    const phone = await customerPhoneFrom(
      bundle.authData,
      bundle.inputData.phone_number,
      'Phone Number',
    );
    const result = await callEndpoint(z, bundle, endpoint, { input: { phone_number: phone } });
    if (asObject(result.data)[ENDPOINTS[endpoint].successField.wire] === false) {
      throw stop(
        'NotDone',
        `Check ${phone} in Sonar, then replay the run if needed: ${likely}. Sonar answered that it did ` +
          `not ${verb} the customer.`,
      );
    }
    // `confirmed`: whether Sonar's answer showed the change (lib/errors.ts `changeConfirmed`).
    const confirmed = changeConfirmed(result, endpoint, tokenOf(bundle.authData), {
      fix: `Check ${phone} in Sonar and ${verb} the customer there if needed`,
      notShown: `Sonar's answer does not show the customer ${verb}${verb.endsWith('e') ? 'd' : 'ed'}`,
    });
    return { id: phone, phone_number: phone, [flag]: true, confirmed };
  }) satisfies CreatePerform;

  return defineCreate({
    key: change.key,
    noun: 'Customer',
    display: { label: change.label, description: change.description },
    operation: {
      perform,
      inputFields: [phoneNumberField],
      sample: { id: '+13105550111', phone_number: '+13105550111', [flag]: true, confirmed: true },
      outputFields: [
        { key: 'id', label: 'Customer ID', type: 'string' },
        { key: 'phone_number', label: 'Phone Number', type: 'string' },
        { key: flag, label: change.flagLabel, type: 'boolean' },
        { key: 'confirmed', label: 'Confirmed by Sonar', type: 'boolean' },
      ],
    },
  });
}
