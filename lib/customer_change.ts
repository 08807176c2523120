/**
 * The actions that change one customer's state by phone number and answer `{"success": true}` (Close
 * Customer, Unassign Customer): one factory, so each action file is its key, labels, endpoint and sample.
 */
import { type CreatePerform, defineCreate } from 'zapier-platform-core';
import type { SuccessEndpointName } from './api.js';
import { phoneNumberField, toCustomerChangeOutput } from './customer.js';
import { phoneFromInput } from './input.js';
import { tokenOf } from './redact.js';
import { callEndpoint } from './request.js';

interface CustomerChange<Flag extends string> {
  key: string;
  label: string;
  description: string;
  /** The endpoint of lib/api.ts, whose row names its `successField`; it is sent `{ phone_number }`. */
  endpoint: SuccessEndpointName;
  /** The output's boolean key (`closed`) and its label (`Closed`). */
  flag: Flag;
  flagLabel: string;
  /** The verb in the error when Sonar answers `success: false` ("did not close the customer"). */
  verb: string;
}

export function customerChangeAction<Flag extends string>(change: CustomerChange<Flag>) {
  const perform = (async (z, bundle) => {
    const phone = await phoneFromInput(
      bundle.authData,
      bundle.inputData.phone_number,
      'Phone Number',
    );
    const { data } = await callEndpoint(z, bundle, change.endpoint, {
      input: { phone_number: phone },
    });
    return toCustomerChangeOutput(data, phone, change, tokenOf(bundle.authData));
  }) satisfies CreatePerform;

  return defineCreate({
    key: change.key,
    noun: 'Customer',
    display: { label: change.label, description: change.description },
    operation: {
      perform,
      inputFields: [phoneNumberField],
      sample: { id: '+13105551111', phone_number: '+13105551111', [change.flag]: true },
      outputFields: [
        { key: 'id', label: 'Customer ID', type: 'string' },
        { key: 'phone_number', label: 'Phone Number', type: 'string' },
        { key: change.flag, label: change.flagLabel, type: 'boolean' },
      ],
    },
  });
}
