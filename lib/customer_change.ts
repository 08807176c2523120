/**
 * The actions that change one customer's state by phone number and answer `{"success": true}` (Close
 * Customer, Unassign Customer): one factory, so each action file is its key, labels, endpoint and sample.
 */
import { type CreatePerform, defineCreate } from 'zapier-platform-core';
import type { SuccessEndpointName } from './api.js';
import { type CustomerChangeWords, phoneNumberField, toCustomerChangeOutput } from './customer.js';
import { customerPhoneFrom } from './input.js';
import { tokenOf } from './redact.js';
import { callEndpoint } from './request.js';

interface CustomerChange<Flag extends string> extends CustomerChangeWords<Flag> {
  key: string;
  label: string;
  description: string;
  /** The endpoint of lib/api.ts, whose row names its `successField`; it is sent `{ phone_number }`. */
  endpoint: SuccessEndpointName;
  /** The output's boolean key (`closed`) and its label (`Closed`). */
  flagLabel: string;
}

export function customerChangeAction<Flag extends string>(change: CustomerChange<Flag>) {
  const perform = (async (z, bundle) => {
    const phone = await customerPhoneFrom(
      bundle.authData,
      bundle.inputData.phone_number,
      'Phone Number',
    );
    const result = await callEndpoint(z, bundle, change.endpoint, {
      input: { phone_number: phone },
    });
    return toCustomerChangeOutput(result, phone, change, tokenOf(bundle.authData));
  }) satisfies CreatePerform;

  return defineCreate({
    key: change.key,
    noun: 'Customer',
    display: { label: change.label, description: change.description },
    operation: {
      perform,
      inputFields: [phoneNumberField],
      sample: {
        id: '+13105550111',
        phone_number: '+13105550111',
        [change.flag]: true,
        confirmed: true,
      },
      outputFields: [
        { key: 'id', label: 'Customer ID', type: 'string' },
        { key: 'phone_number', label: 'Phone Number', type: 'string' },
        { key: change.flag, label: change.flagLabel, type: 'boolean' },
        { key: 'confirmed', label: 'Confirmed by Sonar', type: 'boolean' },
      ],
    },
  });
}
